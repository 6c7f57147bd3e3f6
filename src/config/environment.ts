import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment keys, validated once at start; a bad value stops the process. */
export class Environment {
  @Transform(({ value }) => (value === undefined || value === '' ? 8080 : Number(value)))
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 8080;

  @IsOptional()
  @Matches(/^(postgres|postgresql):\/\/\S+$|^sqlite:\S+$/, {
    message: 'DATABASE_URL must be postgres://user@host:port/db or sqlite:PATH',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_TOKENS?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_TOKENS_FILE?: string;

  @IsOptional()
  @IsString()
  LIVEMIG_DATA_DIR?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: (typeof LOG_LEVELS)[number];
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new Error(`invalid configuration: ${lines.join('; ')}`);
  }
  if (env.LIVEMIG_TOKENS && env.LIVEMIG_TOKENS_FILE) {
    throw new Error('invalid configuration: set LIVEMIG_TOKENS or LIVEMIG_TOKENS_FILE, not both');
  }
  return env;
}
