// D.5 lab — where the service listens (solved). HOST and PORT from the environment.
// 0.0.0.0 means every interface: Prometheus in another container or on another machine can reach
// the service. 127.0.0.1 / localhost would only ever answer the machine (or container) itself.
export interface ListenOptions {
  host: string;
  port: number;
}

export function listenOptions(env: Record<string, string | undefined> = process.env): ListenOptions {
  return { host: env.HOST || '0.0.0.0', port: Number(env.PORT || 3000) };
}
