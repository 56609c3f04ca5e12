import { busyness, viewGames } from '../../client/src/lib/queueView';

const game = (title: string, waiting: number, calling = 0, seated = 0, copies = 2, copiesInUse = calling + seated) => ({
  title,
  copies,
  copiesInUse,
  waiting: Array.from({ length: waiting }),
  calling: Array.from({ length: calling }),
  seated: Array.from({ length: seated }),
});

describe('the staff screen with 40 games: which cards, in what order', () => {
  const games = [game('Azul', 0, 0, 2), game('Catán', 5, 1, 1), game('Codenames', 2, 1, 0, 1), game('Wingspan', 0), game('Pandemic', 5, 0, 1)];

  it('busiest first: most waiting, then most called, then most playing; ties by title', () => {
    expect(viewGames(games, { search: '', filter: 'all', sort: 'busiest' }).map((g) => g.title)).toEqual(['Catán', 'Pandemic', 'Codenames', 'Azul', 'Wingspan']);
    expect(busyness(game('x', 1))).toBeGreaterThan(busyness(game('y', 0, 9, 9)));
  });

  it('A to Z', () => {
    expect(viewGames(games, { search: '', filter: 'all', sort: 'title' }).map((g) => g.title)).toEqual(['Azul', 'Catán', 'Codenames', 'Pandemic', 'Wingspan']);
  });

  it('search ignores case and accents', () => {
    expect(viewGames(games, { search: ' catan ', filter: 'all', sort: 'title' }).map((g) => g.title)).toEqual(['Catán']);
    expect(viewGames(games, { search: 'CO', filter: 'all', sort: 'title' }).map((g) => g.title)).toEqual(['Codenames']);
  });

  it('filters: with a queue, calling now, a copy free', () => {
    expect(viewGames(games, { search: '', filter: 'queued', sort: 'title' }).map((g) => g.title)).toEqual(['Catán', 'Codenames', 'Pandemic']);
    expect(viewGames(games, { search: '', filter: 'calling', sort: 'title' }).map((g) => g.title)).toEqual(['Catán', 'Codenames']);
    expect(viewGames(games, { search: '', filter: 'free', sort: 'title' }).map((g) => g.title)).toEqual(['Pandemic', 'Wingspan']);
  });

  it('never changes the list it is given', () => {
    const copy = [...games];
    viewGames(games, { search: '', filter: 'all', sort: 'busiest' });
    expect(games).toEqual(copy);
  });
});
