// D.5 lab — where the service listens. HOST and PORT from the environment.
export interface ListenOptions {
  host: string;
  port: number;
}

export function listenOptions(env: Record<string, string | undefined> = process.env): ListenOptions {
  return { host: env.HOST || 'localhost', port: Number(env.PORT || 3000) };
}
