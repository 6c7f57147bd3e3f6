// The agent's routes, written once: the agent's controllers mount these paths and the
// controller's client builds its URLs from them, so the two cannot disagree.

export const AGENT_API_PREFIX = '/v1';

/** Controller mount points (Nest's `@Controller()` takes them without the leading slash). */
export const AGENT_ROUTES = {
  health: 'v1/health',
  links: 'v1/links',
  guests: 'v1/guests',
  markers: 'v1/storage/markers',
  captures: 'v1/captures',
  probes: 'v1/probes',
  network: 'v1/network',
} as const;

/** Sub-routes under a mount point. */
export const AGENT_SUBROUTES = {
  session: ':id',
  sessionStop: ':id/stop',
  sessionFile: ':id/file',
  link: ':interface',
  guestMemory: ':domain/memory',
  marker: ':id',
  networkReconcile: 'reconcile',
  switchover: 'switchovers/:id',
  switchoverFire: 'switchovers/:id/fire',
} as const;

const segment = (value: string): string => encodeURIComponent(value);
const mount = (route: keyof typeof AGENT_ROUTES): string => `/${AGENT_ROUTES[route]}`;
const query = (name: string, value: string | number | undefined): string =>
  value === undefined ? '' : `?${name}=${encodeURIComponent(String(value))}`;

/** Absolute request paths for the client; every caller-supplied part is URL-encoded. */
export const agentPaths = {
  health: (): string => mount('health'),
  link: (interfaceName: string): string => `${mount('links')}/${segment(interfaceName)}`,
  guestMemory: (domain: string, ramMiB: number): string => `${mount('guests')}/${segment(domain)}/memory${query('ramMiB', ramMiB)}`,
  markers: (): string => mount('markers'),
  marker: (markerId: string, instancesPath?: string): string =>
    `${mount('markers')}/${segment(markerId)}${query('instancesPath', instancesPath)}`,
  sessions: (kind: 'captures' | 'probes'): string => mount(kind),
  session: (kind: 'captures' | 'probes', id: string): string => `${mount(kind)}/${segment(id)}`,
  sessionStop: (kind: 'captures' | 'probes', id: string): string => `${mount(kind)}/${segment(id)}/stop`,
  sessionFile: (kind: 'captures' | 'probes', id: string): string => `${mount(kind)}/${segment(id)}/file`,
  network: (): string => mount('network'),
  networkReconcile: (): string => `${mount('network')}/reconcile`,
  switchover: (id: string): string => `${mount('network')}/switchovers/${segment(id)}`,
  switchoverFire: (id: string): string => `${mount('network')}/switchovers/${segment(id)}/fire`,
};
