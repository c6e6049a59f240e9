import { parseJavaMajor } from '@passport/infra/install/java';

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "25" 2025-09-16', 25],
    ['openjdk version "21.0.4" 2024-07-16 LTS', 21],
    ['java version "1.8.0_392"', 8],
  ])('reads %s as Java %i', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });

  it('returns undefined for output that is not a version banner', () => {
    expect(parseJavaMajor('command not found')).toBeUndefined();
  });
});
