/** The café evenings `bench/estimates.ts` simulates. Times in minutes, rates in parties per hour. */

export interface GameSpec {
  title: string;
  copies: number;
  /** nominal play time, as entered by staff */
  playMinutes: number;
  /** real median play time ÷ nominal (tables play longer or shorter than the box says) */
  trueFactor: number;
  /** log-scale spread of real play times */
  sigma: number;
  /** share of arrivals that choose this game (relative weight) */
  weight: number;
  /** finished sessions from earlier nights that the service already holds (0: a new game) */
  historySessions: number;
}

export interface Profile {
  name: string;
  /** one rate per hour from opening; arrivals stop at closing, the queue still drains */
  arrivalsPerHour: number[];
  games: GameSpec[];
  /** share of called parties who never come */
  noShow: number;
  /** share of sessions that are abandoned or mis-recorded (a minute or two) */
  abandoned: number;
  /** share of sessions that run two to five times the play time (or a table forgotten) */
  marathon: number;
  /** mean minutes between a game ending and staff pressing Finish */
  finishDelayMinutes: number;
  /** share of waiting parties who give up, after an exponential time with this mean (minutes) */
  giveUp: { share: number; meanMinutes: number };
  /**
   * staff mark this share of played sessions "wrapping up", when the table starts its last round:
   * a lead drawn evenly from `leadMinutes` before the game ends (Finish comes later still)
   */
  wrapUp: { share: number; leadMinutes: [number, number] };
  /** sessions seated in the first `minutes` of the night run `factor` times longer */
  longStart?: { minutes: number; factor: number };
  nights: number;
}

const SHELF: GameSpec[] = [
  { title: 'Catan', copies: 3, playMinutes: 75, trueFactor: 1.1, sigma: 0.3, weight: 4, historySessions: 40 },
  { title: 'Ticket to Ride', copies: 2, playMinutes: 60, trueFactor: 0.95, sigma: 0.3, weight: 3, historySessions: 40 },
  { title: 'Pandemic', copies: 1, playMinutes: 45, trueFactor: 1.2, sigma: 0.35, weight: 1.5, historySessions: 40 },
  { title: 'Azul', copies: 2, playMinutes: 40, trueFactor: 1.0, sigma: 0.25, weight: 3, historySessions: 40 },
  { title: 'Codenames', copies: 1, playMinutes: 20, trueFactor: 1.3, sigma: 0.4, weight: 3, historySessions: 40 },
];

const base = { wrapUp: { share: 0.5, leadMinutes: [5, 15] as [number, number] }, noShow: 0.12, abandoned: 0.04, marathon: 0.04, finishDelayMinutes: 3, giveUp: { share: 0.05, meanMinutes: 40 }, nights: 40 };

export const PROFILES: Profile[] = [
  { ...base, name: 'quiet weekday', arrivalsPerHour: [2, 4, 5, 4, 2], games: SHELF.map((g) => ({ ...g, copies: Math.max(1, g.copies - 1) })) },
  { ...base, name: 'packed Saturday', arrivalsPerHour: [6, 8, 10, 12, 12, 10, 6, 3], games: SHELF, nights: 20 },
  {
    ...base,
    name: 'one hot game, one copy',
    arrivalsPerHour: [1, 1.5, 1.5, 1, 0.5],
    games: [{ title: 'Wingspan', copies: 1, playMinutes: 70, trueFactor: 1.0, sigma: 0.3, weight: 1, historySessions: 40 }],
  },
  {
    ...base,
    name: 'new game, no history',
    arrivalsPerHour: [1.5, 2, 2, 1.5, 0.5],
    games: [{ title: 'Heat', copies: 2, playMinutes: 60, trueFactor: 1.35, sigma: 0.3, weight: 1, historySessions: 0 }],
  },
  { ...base, name: 'first sessions run long', arrivalsPerHour: [8, 9, 9, 7, 4], games: SHELF, longStart: { minutes: 90, factor: 1.7 } },
];
