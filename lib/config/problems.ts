/**
 * Collects configuration problems so that one run reports all of them, each naming the
 * deployment, the dotted field path, the bad value and what is allowed.
 */

/** Thrown once validation is over, with every problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Renders a value as it appears in messages: strings quoted, everything else as JSON. */
export function showValue(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

export class Problems {
  private readonly errorList: string[] = [];
  private readonly warningList: string[] = [];

  get errors(): readonly string[] {
    return this.errorList;
  }

  get warnings(): readonly string[] {
    return this.warningList;
  }

  /** `integ: cluster.dnsServiceIp "10.5.0.10" must lie inside ...` */
  error(where: string, path: string, value: unknown, allowed: string): void {
    this.errorList.push(format(where, path, value, allowed));
  }

  /** A problem that is not about one value (a file that cannot be read, a duplicate). */
  errorText(text: string): void {
    this.errorList.push(text);
  }

  warn(where: string, path: string, value: unknown, note: string): void {
    this.warningList.push(format(where, path, value, note));
  }

  /** Throws a ConfigError if any error was reported. */
  throwIfAny(): void {
    if (this.errorList.length > 0) throw new ConfigError(this.errorList);
  }
}

function format(where: string, path: string, value: unknown, text: string): string {
  return value === undefined ? `${where}: ${path} ${text}` : `${where}: ${path} ${showValue(value)} ${text}`;
}

/** A reporter bound to one deployment, as rules use it. */
export interface DeploymentReporter {
  error(path: string, value: unknown, allowed: string): void;
  warn(path: string, value: unknown, note: string): void;
}

export function reporterFor(problems: Problems, where: string): DeploymentReporter {
  return {
    error: (path, value, allowed) => problems.error(where, path, value, allowed),
    warn: (path, value, note) => problems.warn(where, path, value, note),
  };
}
