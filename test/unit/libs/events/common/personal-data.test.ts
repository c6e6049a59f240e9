import { personalDataIn } from '@passport/events';

describe('personalDataIn', () => {
  it.each([
    ['contact: anna.rossi@impresa.example.it', 'an e-mail address'],
    ['Tel. +39 02 1234 5678', 'a phone number'],
    ['call 0049 711 1234567', 'a phone number'],
    ['Rufen Sie 0711 123456 an', 'a phone number'],
    ['tél. 06-12 34 56 78', 'a phone number'],
  ])('finds personal data in %j', (text, found) => {
    expect(personalDataIn(text)).toBe(found);
  });

  it.each([
    'NACE 28.41 and 28.15, HS 848340, CPV 42141410-0',
    'founded in 1987, 45 employees, ISO 9001:2015',
    'turnover 12.5 million euro in 2025',
    'gears from 0.5 to 12 module',
  ])('leaves ordinary business text alone: %j', (text) => {
    expect(personalDataIn(text)).toBeUndefined();
  });
});
