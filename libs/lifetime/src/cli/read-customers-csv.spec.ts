import { readCustomersCsv } from './read-customers-csv';

describe('readCustomersCsv', () => {
  it('should read the three columns in any order and ignore the others', () => {
    const customers = readCustomersCsv('id,T,frequency,recency\nc1,38,2,30.5\nc2,20,0,0\n');
    expect([...customers.frequency]).toEqual([2, 0]);
    expect([...customers.recency]).toEqual([30.5, 0]);
    expect([...customers.T]).toEqual([38, 20]);
  });

  it('should name a missing column', () => {
    expect(() => readCustomersCsv('frequency,T\n1,2')).toThrow('line 1: the header has no "recency" column');
  });

  it.each([
    ['frequency,recency,T\n1,2,3\nx,2,3', 'line 3: frequency, recency and T must all be numbers'],
    ['frequency,recency,T\n1.5,2,3', 'line 2: frequency must be a whole number'],
    ['frequency,recency,T\n1,4,3', 'line 2: recency must be between 0 and T'],
    ['frequency,recency,T\n0,1,3', 'line 2: recency must be 0 when frequency is 0'],
    ['frequency,recency,T\n1,2', 'line 2: frequency, recency and T must all be numbers'],
  ])('should give the line of a bad row: %p', (csv, message) => {
    expect(() => readCustomersCsv(csv)).toThrow(message);
  });
});
