import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** PEM texts of the agent channel's TLS: the CA that signs agents' certificates, and the controller's own pair. */
export interface AgentTls {
  ca: string;
  /** The controller's client certificate and key, for agents that require one (mutual TLS). */
  cert?: string;
  key?: string;
}

export interface AgentRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Bounds the whole exchange, the response body included. */
  signal: AbortSignal;
}

// One request to an agent over node:http or node:https. fetch has no way to give a CA or a client certificate
// without undici's dispatcher (not a dependency), so the client speaks through this instead.
export class AgentTransport {
  private readonly httpsAgent: HttpsAgent;

  constructor(tls: AgentTls | null) {
    // Without a configured CA, https endpoints are checked against the system's CAs.
    this.httpsAgent = new HttpsAgent({
      keepAlive: true,
      ...(tls === null ? {} : { ca: tls.ca, cert: tls.cert, key: tls.key }),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
  }

  send(url: URL, request: AgentRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const options = { method: request.method, headers: request.headers, signal: request.signal };
      const req =
        url.protocol === 'https:' ? httpsRequest(url, { ...options, agent: this.httpsAgent }, resolve) : httpRequest(url, options, resolve);
      req.once('error', reject);
      req.end(request.body);
    });
  }
}

export async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
