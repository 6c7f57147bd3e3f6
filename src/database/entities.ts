import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';

export const ENTITIES = [HostEntity, FlavorEntity, InstanceEntity];
