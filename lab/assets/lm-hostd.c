/*
 * lm-hostd: runs a lab host's libvirtd. Started as
 *   ip netns exec NS unshare -m --propagation private lm-hostd [--log FILE] [--bind SRC DST]... -- CMD ARGS...
 * it bind-mounts the host's own directories (plain binds: unix sockets do not
 * connect across overlayfs), then runs CMD as a child subreaper that reaps at
 * once. PID 1 here reaps orphans only about once a second, and libvirt waits
 * for a killed QEMU to vanish, which added ~1.5 s to every migration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child_pid = -1;

static void forward(int sig) {
    if (child_pid > 0) kill(child_pid, sig);
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { i++; break; }
        if (strcmp(argv[i], "--log") == 0 && i + 1 < argc) {
            /* The daemon outlives whoever started it: its output goes to a file, not a pipe. */
            int fd = open(argv[i + 1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) { perror("lm-hostd: log"); return 111; }
            close(fd);
            i += 1;
            continue;
        }
        if (strcmp(argv[i], "--bind") == 0 && i + 2 < argc) {
            if (mount(argv[i + 1], argv[i + 2], NULL, MS_BIND | MS_REC, NULL) != 0) {
                fprintf(stderr, "lm-hostd: bind %s on %s: %s\n", argv[i + 1], argv[i + 2], strerror(errno));
                return 111;
            }
            i += 2;
            continue;
        }
        fprintf(stderr, "lm-hostd: bad argument %s\n", argv[i]);
        return 111;
    }
    if (i >= argc) { fprintf(stderr, "lm-hostd: no command\n"); return 111; }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) { perror("lm-hostd: PR_SET_CHILD_SUBREAPER"); return 111; }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    pid_t pid = fork();
    if (pid < 0) { perror("lm-hostd: fork"); return 111; }
    if (pid == 0) {
        execv(argv[i], &argv[i]);
        fprintf(stderr, "lm-hostd: exec %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    child_pid = pid;
    for (;;) {
        int status;
        pid_t done = waitpid(-1, &status, 0);
        if (done < 0) {
            if (errno == EINTR) continue;
            return 0;
        }
        /* Orphaned QEMUs of the daemon are reaped here too; the daemon's end ends the wrapper. */
        if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}
