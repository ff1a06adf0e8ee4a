import { reclassified, type Classification } from './triage';

describe('reclassification', () => {
  const dirtyRoom: Classification = { severity: 'medium', category: 'cleanliness', aspect: 'room' };

  it('should change the severity alone and keep what the complaint is about', () => {
    expect(reclassified(dirtyRoom, { severity: 'critical' })).toEqual({ ...dirtyRoom, severity: 'critical' });
  });

  it('should bring the aspect a new category implies, and keep the aspect when the category is other', () => {
    expect(reclassified(dirtyRoom, { category: 'noise' })).toEqual({
      severity: 'medium',
      category: 'noise',
      aspect: 'noise',
    });
    expect(reclassified(dirtyRoom, { category: 'other', severity: 'low' })).toEqual({
      severity: 'low',
      category: 'other',
      aspect: 'room',
    });
  });

  it('should change nothing when the severity and category named are the ones it has', () => {
    expect(reclassified(dirtyRoom, { severity: 'medium', category: 'cleanliness' })).toBeNull();
    expect(reclassified(dirtyRoom, {})).toBeNull();
  });
});
