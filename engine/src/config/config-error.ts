/**
 * A configuration problem, phrased as the one line `zk-server` prints before exiting:
 * it names the key, the value found and what was expected.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }

  static badValue(key: string, value: string, expected: string): ConfigError {
    return new ConfigError(`invalid value '${value}' for ${key}: expected ${expected}`);
  }
}
