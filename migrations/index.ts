import type { Knex } from 'knex';
import * as initial from './20261122000000_initial';
import * as recentSessionsIndex from './20261122000001_recent_sessions_index';
import * as liveCodesAndWaits from './20261129000000_live_codes_and_waits';
import * as gameQueueLimit from './20261129000001_game_queue_limit';
import * as staffSessionGeneration from './20261129000010_staff_session_generation';
import * as notifications from './20261130000200_notifications';
import * as floorTools from './20261130000300_floor_tools';
import * as cafeSettings from './20261130000400_cafe_settings';
import * as waitQuotes from './20261130000500_wait_quotes';
import * as serviceSecrets from './20261130000600_service_secrets';
import * as reservationDevice from './20261130000601_reservation_device';
import * as cafeLogos from './20261201000100_cafe_logos';
import * as wrappingUp from './20261201000300_wrapping_up';
import * as reservationLanguage from './20261201000400_reservation_language';

/**
 * Migrations are imported, not discovered on disk, so the same list runs under tsx, Jest and
 * the compiled dist/ build. Append new ones here in order.
 */
export const migrations: Record<string, Knex.Migration> = {
  '20261122000000_initial': initial,
  '20261122000001_recent_sessions_index': recentSessionsIndex,
  '20261129000000_live_codes_and_waits': liveCodesAndWaits,
  '20261129000001_game_queue_limit': gameQueueLimit,
  '20261129000010_staff_session_generation': staffSessionGeneration,
  '20261130000200_notifications': notifications,
  '20261130000300_floor_tools': floorTools,
  '20261130000400_cafe_settings': cafeSettings,
  '20261130000500_wait_quotes': waitQuotes,
  '20261130000600_service_secrets': serviceSecrets,
  '20261130000601_reservation_device': reservationDevice,
  '20261201000100_cafe_logos': cafeLogos,
  '20261201000300_wrapping_up': wrappingUp,
  '20261201000400_reservation_language': reservationLanguage,
};
