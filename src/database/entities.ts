import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import { LiveMigrationEntity } from '../migration/records/live-migration.entity';
import { MigrationPhaseEntity } from '../migration/records/migration-phase.entity';
import { MigrationSampleEntity } from '../migration/records/migration-sample.entity';
import { ReservationEntity } from '../migration/records/reservation.entity';
import { DrainMoveEntity } from '../migration/drain/drain-move.entity';
import { DrainEntity } from '../migration/drain/drain.entity';
import { RebalancePolicyEntity } from '../migration/rebalance/rebalance-policy.entity';
import { RebalanceRunEntity } from '../migration/rebalance/rebalance-run.entity';
import { FloatingIpEntity } from '../network/floating-ips/floating-ip.entity';
import { NetworkEntity } from '../network/networks/network.entity';
import { PortBindingEntity } from '../network/ports/port-binding.entity';
import { PortEntity } from '../network/ports/port.entity';
import { NetworkRevisionEntity } from '../network/revision/network-revision.entity';
import { RouterEntity } from '../network/routers/router.entity';
import { NetworkExtensionEntity } from '../network/sites/network-extension.entity';
import { SitePeerEntity } from '../network/sites/site-peer.entity';
import { SubnetEntity } from '../network/subnets/subnet.entity';

export const ENTITIES = [
  HostEntity,
  FlavorEntity,
  InstanceEntity,
  LiveMigrationEntity,
  MigrationPhaseEntity,
  MigrationSampleEntity,
  ReservationEntity,
  DrainEntity,
  DrainMoveEntity,
  RebalancePolicyEntity,
  RebalanceRunEntity,
  NetworkEntity,
  SubnetEntity,
  PortEntity,
  PortBindingEntity,
  RouterEntity,
  FloatingIpEntity,
  NetworkRevisionEntity,
  SitePeerEntity,
  NetworkExtensionEntity,
];
