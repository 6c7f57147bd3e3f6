/** Process-wide like the libvirt URI policy: DTO validation has no access to the app's config. */
let allowLocal: boolean | undefined;

/** LIVEMIG_AGENT_ENDPOINTS_LOCAL=allow lets agentEndpoint name loopback and link-local addresses (tests only). */
export function localAgentEndpointsAllowed(): boolean {
  allowLocal ??= process.env.LIVEMIG_AGENT_ENDPOINTS_LOCAL === 'allow';
  return allowLocal;
}

export function setLocalAgentEndpointsAllowed(value: boolean): void {
  allowLocal = value;
}

let httpsRequired = false;

/** With LIVEMIG_AGENT_TLS_CA set, agentEndpoint must be https: the token never travels in clear text. */
export function agentHttpsRequired(): boolean {
  return httpsRequired;
}

export function setAgentHttpsRequired(value: boolean): void {
  httpsRequired = value;
}
