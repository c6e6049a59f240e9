import { EventValidationError, SealInvalidError } from '@passport/errors';
import { parseSealedParty, sealedPartyBytes, validateIncoming, validateOutgoing } from '@passport/events';
import {
  candidatesProposedSample,
  SEALED_SAMPLE_EVENTS,
  sealedIntroductionAcceptedSample,
  sealedIntroductionRequestedSample,
} from '../../../../fixtures/events';

function issueOf(event: unknown): { path: string; message: string } {
  try {
    validateOutgoing(event);
  } catch (error) {
    if (error instanceof EventValidationError) return error.issues[0] as { path: string; message: string };
    throw error;
  }
  throw new Error('expected the event to be refused');
}

const requested = sealedIntroductionRequestedSample;
const withFirm = (sealedFirm: string) => ({ ...requested, payload: { ...requested.payload, sealedFirm } });

describe('sealed introduction events (passport.introductions.v2)', () => {
  it.each(SEALED_SAMPLE_EVENTS.map((event) => [event.type, event]))(
    'accepts the %s sample both ways',
    (_type, event) => {
      const outgoing = validateOutgoing(event);
      expect(validateIncoming(outgoing)).toEqual(outgoing);
    },
  );

  it('refuses a sealed field over 8192 characters by its length, naming the field', () => {
    const issue = issueOf(withFirm(`ps1.${'A'.repeat(22)}.${'B'.repeat(43)}.${'C'.repeat(8200)}`));
    expect(issue).toEqual({ path: 'payload.sealedFirm', message: 'must be at most 8192 characters' });
  });

  it.each([
    ['clear text', 'Zahnradwerk Example GmbH'],
    ['another version', `ps2.${'A'.repeat(22)}.${'B'.repeat(43)}.CCCC`],
    ['a short key id', `ps1.${'A'.repeat(21)}.${'B'.repeat(43)}.CCCC`],
    ['a fifth part', `ps1.${'A'.repeat(22)}.${'B'.repeat(43)}.CCCC.DDDD`],
    ['a character outside base64url', `ps1.${'A'.repeat(22)}.${'B'.repeat(43)}.CC+C`],
  ])('refuses %s in a sealed field', (_what, sealedFirm) => {
    expect(issueOf(withFirm(sealedFirm))).toEqual({
      path: 'payload.sealedFirm',
      message: 'must be a sealed field ps1.<key id>.<enc>.<ciphertext>',
    });
  });

  it('refuses a home key that is no raw X25519 key', () => {
    const event = {
      ...requested,
      payload: { ...requested.payload, homeKey: { keyId: 'x', publicKey: 'y' } },
    };
    expect(issueOf(event).path).toBe('payload.homeKey.keyId');
  });

  it('refuses an acceptance without its sealed candidate', () => {
    const { sealedCandidate: _dropped, ...payload } = sealedIntroductionAcceptedSample.payload;
    expect(issueOf({ ...sealedIntroductionAcceptedSample, payload }).path).toBe('payload.sealedCandidate');
  });

  it('takes CandidatesProposed with or without an announced introduction key', () => {
    expect(validateOutgoing(candidatesProposedSample)).toMatchObject({ payload: { introductionKey: null } });
    const key = { keyId: 'K'.repeat(22), publicKey: 'P'.repeat(43) };
    const withKey = {
      ...candidatesProposedSample,
      payload: { ...candidatesProposedSample.payload, introductionKey: key },
    };
    expect(validateOutgoing(withKey)).toMatchObject({ payload: { introductionKey: key } });
  });
});

describe('the party inside a sealed field', () => {
  const party = {
    name: 'Zahnradwerk Example GmbH',
    contact: { fullName: 'Erika Mustermann', email: 'erika@example.org', preferredLanguage: 'de' },
    message: null,
  };

  it('reads back what was sealed, with the defaults filled', () => {
    expect(parseSealedParty(sealedPartyBytes(party, 'sealedFirm'), 'sealedFirm')).toEqual({
      ...party,
      contact: { ...party.contact, role: null, phone: null },
    });
  });

  it('refuses to seal what the recipient would refuse, naming the field', () => {
    const bad = { ...party, contact: { ...party.contact, email: 'not-an-address' } };
    expect(() => sealedPartyBytes(bad, 'firm')).toThrow(EventValidationError);
    expect(() => sealedPartyBytes(bad, 'firm')).toThrow(/firm\.contact\.email/);
  });

  it.each([
    ['text that is no JSON', Buffer.from('Erika Mustermann'), 'sealedFirm'],
    ['JSON nested deeper than a party', Buffer.from('[[[[[[1]]]]]]'), 'sealedFirm'],
    ['a party without a contact', Buffer.from('{"name":"X"}'), 'sealedFirm.contact'],
  ])('refuses %s as PASSPORT_SEAL_INVALID naming the field', (_what, plaintext, field) => {
    let caught: unknown;
    try {
      parseSealedParty(plaintext, 'sealedFirm');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SealInvalidError);
    expect(caught).toMatchObject({ code: 'PASSPORT_SEAL_INVALID', details: { field } });
  });
});
