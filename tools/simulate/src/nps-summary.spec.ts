import { NpsTally, renderNps } from './nps-summary';

const stay = (propertyId: string) => ({ stay: { propertyId } });

describe('NpsTally', () => {
  it('should compute NPS per property from completed surveys, leaving skipped recommend answers out', () => {
    const tally = new NpsTally();
    for (let i = 0; i < 4; i++) tally.add('survey-invited', stay('grand-paris'));
    for (const nps of [10, 9, 6]) tally.add('survey-completed', { ...stay('grand-paris'), nps });
    tally.add('survey-completed', stay('grand-paris'));
    expect(tally.byProperty()['grand-paris']).toMatchObject({
      nps: 33.3,
      answers: 3,
      responses: 4,
      invited: 4,
    });
  });

  it('should render one line per property with the margin of error', () => {
    const tally = new NpsTally();
    for (const nps of [10, 7]) tally.add('survey-completed', { ...stay('urban-london'), nps });
    const [, title, line] = renderNps(tally.byProperty());
    expect(title).toMatch(/^NPS by property/);
    expect(line).toMatch(/urban-london\s+\+50\.0 ±\d+\.\d {2}2 answers, 2 of 0 invited responded/);
  });
});
