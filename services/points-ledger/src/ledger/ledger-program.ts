import { DEFAULT_PROGRAM, validateProgram, type ProgramRules } from '../domain';

/**
 * The program this service runs: DEFAULT_PROGRAM plus the platform's reference property `AMS01`
 * (Amsterdam, Grand brand, billing in EUR), which every upstream fixture and the walking skeleton use.
 * A property missing here makes its stays dead-letter with UNKNOWN_PROPERTY, so a newly opened hotel
 * must be added here before its stays arrive.
 */
export const LEDGER_PROGRAM: ProgramRules = {
  ...DEFAULT_PROGRAM,
  properties: {
    ...DEFAULT_PROGRAM.properties,
    AMS01: { id: 'AMS01', brandId: 'grand', currency: 'EUR', foodAndBeverageQualifies: true },
  },
};

const problems = validateProgram(LEDGER_PROGRAM);
if (problems.length > 0) throw new Error(`invalid loyalty program: ${problems.join('; ')}`);
