#!/bin/busybox sh
# /init of the lab guest. Knobs come from the kernel command line:
#   lm.ip=A.B.C.D/N lm.gw=A.B.C.D     tenant address (MAC is set in the domain XML)
#   lm.dirty_mib=N lm.dirty_pause_ms=M  memory dirtier: N MiB working set, M ms between passes
#   lm.disk=1                         write to /dev/vda (shared storage) every second
#   lm.tick_ms=N                      return to user space every N ms (see below)
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
con=/dev/ttyS0

ip= gw= dirty_mib=0 dirty_pause_ms=0 disk=0 tick_ms=0
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    lm.ip=*) ip="${arg#lm.ip=}" ;;
    lm.gw=*) gw="${arg#lm.gw=}" ;;
    lm.dirty_mib=*) dirty_mib="${arg#lm.dirty_mib=}" ;;
    lm.dirty_pause_ms=*) dirty_pause_ms="${arg#lm.dirty_pause_ms=}" ;;
    lm.disk=*) disk="${arg#lm.disk=}" ;;
    lm.tick_ms=*) tick_ms="${arg#lm.tick_ms=}" ;;
  esac
done

# virtio is modular in the Debian kernel; dependencies first.
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net virtio_blk; do
  [ -f /modules/$m.ko ] && insmod /modules/$m.ko
done

ip link set lo up
ip link set eth0 up
if [ -n "$ip" ]; then
  ip addr add "$ip" dev eth0
  [ -n "$gw" ] && ip route add default via "$gw"
  # Gratuitous ARP: a stale fabric entry from an earlier guest would eat the first pings.
  arping -U -c 2 -I eth0 "${ip%/*}" >/dev/null 2>&1 &
fi

# TCP echo on port 7 for connection-survival probes.
nc -ll -p 7 -e cat &

if [ "$dirty_mib" -gt 0 ]; then
  mkdir -p /dirty
  mount -t tmpfs -o size=$((dirty_mib + 3))m tmpfs /dirty
  (
    # Non-zero patterns (QEMU sends zero pages as tiny records), alternating each
    # pass so page contents change too and hash-sampling dirty-rate estimates see it.
    tr '\000' '\252' </dev/zero | head -c 1048576 >/dirty/pattern-a
    tr '\000' '\125' </dev/zero | head -c 1048576 >/dirty/pattern-b
    a= b= i=0
    while [ $i -lt "$dirty_mib" ]; do a="$a /dirty/pattern-a"; b="$b /dirty/pattern-b"; i=$((i + 1)); done
    while :; do
      # One cat rewrites the whole working set in place (1<> does not truncate): memcpy speed even under TCG.
      cat $a 1<>/dirty/ws
      [ "$dirty_pause_ms" -gt 0 ] && usleep $((dirty_pause_ms * 1000))
      cat $b 1<>/dirty/ws
      [ "$dirty_pause_ms" -gt 0 ] && usleep $((dirty_pause_ms * 1000))
    done
  ) &
fi

# QEMU 7.2 TCG loses guest writes in live migration: after each dirty-bitmap sync its soft TLB keeps write
# entries that no longer mark pages dirty, until the guest's next CR3 write flushes them. With pti=on each
# return to user space writes CR3; this loop (a shell builtin, no fork) makes one every N ms even when the
# guest is otherwise idle and its network stack runs in softirq, where CR3 never changes.
if [ "$tick_ms" -gt 0 ]; then
  mkfifo /tmp/tick
  tick_s=$((tick_ms / 1000)).$(printf '%03d' $((tick_ms % 1000)))
  ( while :; do read -t "$tick_s" x <>/tmp/tick; done ) &
fi

if [ "$disk" = 1 ] && [ -b /dev/vda ]; then
  (
    n=0
    while :; do
      echo "lm-disk $n $(date +%s)" | dd of=/dev/vda bs=512 seek=$((n % 2048)) conv=sync,fsync 2>/dev/null
      n=$((n + 1))
      sleep 1
    done
  ) &
fi

echo "lm-guest up ip=$ip dirty_mib=$dirty_mib disk=$disk" >$con
# PID 1 never returns: the heartbeat proves the guest keeps running after switchover.
n=0
while :; do
  echo "lm-heartbeat $n" >$con
  n=$((n + 1))
  sleep 1
done
