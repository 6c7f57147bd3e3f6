import { Inventory1732240000000 } from './1732240000000-inventory';
import { SeedFlavors1732240000001 } from './1732240000001-seed-flavors';
import { LiveMigrations1732240000002 } from './1732240000002-live-migrations';
import { NetworkReports1732240000003 } from './1732240000003-network-reports';
import { Workflows1732240000004 } from './1732240000004-workflows';
import { NetworkFollow1732240000007 } from './1732240000007-network-follow';
import { PrecopyPredictions1732240000008 } from './1732240000008-precopy-predictions';
import { TenantNetworks1732240000009 } from './1732240000009-tenant-networks';
import { ControllerReplicas1732250000000 } from './1732250000000-controller-replicas';
import { FastStart1732300000000 } from './1732300000000-fast-start';
import { SiteInterconnection1732310000000 } from './1732310000000-site-interconnection';
import { NetworkGeneration1732320000000 } from './1732320000000-network-generation';
import { PathChanges1732330000000 } from './1732330000000-path-changes';

/** Every schema migration, in order. Listed as classes so they load from src and dist alike. */
export const MIGRATIONS = [
  Inventory1732240000000,
  SeedFlavors1732240000001,
  LiveMigrations1732240000002,
  NetworkReports1732240000003,
  Workflows1732240000004,
  NetworkFollow1732240000007,
  PrecopyPredictions1732240000008,
  TenantNetworks1732240000009,
  ControllerReplicas1732250000000,
  FastStart1732300000000,
  SiteInterconnection1732310000000,
  NetworkGeneration1732320000000,
  PathChanges1732330000000,
];
