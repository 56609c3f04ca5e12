import type { Config } from './config';

/**
 * The café's name, as every message and notification carries it. The one place that says
 * where it comes from (CAFE_NAME today; café settings may take over later).
 */
export function cafeName(config: Config): string {
  return config.notify.cafeName;
}
