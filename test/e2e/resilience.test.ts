import { stopKafka } from '@passport/infra/kafka/cluster';
import { up } from '@passport/infra/lifecycle';
import { profileFromEnvironment } from '@passport/infra/profile';
import { eventually, startAgencySystem, type AgencySystem } from '../support/agency-system';
import { sqliteRows } from '../support/sqlite-rows';

const query = sqliteRows;

function requestBody(title: string) {
  return {
    firm: {
      name: 'Robotik Beispiel AG',
      contact: {
        fullName: 'Lena Beispiel',
        role: null,
        email: 'lena@robotik.example',
        phone: null,
        preferredLanguage: 'de',
      },
    },
    profile: {
      kind: 'TECHNOLOGY',
      title,
      summary: 'A robotics firm seeks partners for gripper technology.',
      description: 'Soft grippers for food handling.',
      textLanguage: 'en',
      sectors: [{ code: '28.99', revision: 'REV_2' }],
      partnershipTypes: ['TECHNICAL_COOPERATION'],
      targetAgencies: ['aura', 'accio', 'promos'],
      workingLanguages: ['de', 'en'],
      deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      firm: { sizeBand: 'SMALL', nutsRegion: 'DE11', exportExperience: 'REGULAR' },
    },
  };
}

const candidates = {
  candidates: [
    {
      candidateRef: 'accio-robot-1',
      profile: {
        sectors: [{ code: '28.99', revision: 'REV_2' }],
        sizeBand: 'SMALL',
        nutsRegion: 'ES511',
        offerSummary: 'Integrator of food-handling robots.',
      },
      matchScore: 0.7,
      rationale: 'Integrates grippers into food lines.',
    },
  ],
};

describe('resilience: crashes and broker outages lose nothing and apply nothing twice', () => {
  let system: AgencySystem;
  const status = async (requestId: string) =>
    (
      await system.call<{ partners: Array<{ agencyId: string; status: string }>; candidates: unknown[] }>(
        'bwi',
        'GET',
        `/requests/${requestId}`,
      )
    ).body;

  beforeAll(async () => {
    system = await startAgencySystem(28_121);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('survives kill -9 of a partner and of the home agency mid-flow', async () => {
    const created = await system.call<{ requestId: string }>(
      'bwi',
      'POST',
      '/requests',
      requestBody('Gripper technology partner (kill -9)'),
    );
    const { requestId } = created.body;
    await system.services.aura?.stop('SIGKILL');
    await eventually(
      async () =>
        (await status(requestId)).partners.filter((p) => p.status === 'acknowledged').length >= 2
          ? true
          : undefined,
      'two acknowledgements while aura is down',
    );
    expect((await system.call('accio', 'POST', `/inbox/${requestId}/candidates`, candidates)).status).toBe(
      201,
    );
    await system.services.bwi?.stop('SIGKILL');
    await system.restart('bwi');
    await system.restart('aura');
    await eventually(
      async () =>
        (await system.call<{ status: string }>('aura', 'GET', `/inbox/${requestId}`)).status === 200
          ? true
          : undefined,
      'aura catching up',
    );
    expect(
      (await system.call('aura', 'POST', `/inbox/${requestId}/no-candidates`, { reason: 'NO_MATCH' })).status,
    ).toBe(201);
    const final = await eventually(async () => {
      const s = await status(requestId);
      const byAgency = Object.fromEntries(s.partners.map((p) => [p.agencyId, p.status]));
      return byAgency.accio === 'candidates' &&
        byAgency.aura === 'none_found' &&
        byAgency.promos === 'acknowledged'
        ? s
        : undefined;
    }, 'every reply at bwi after the restarts');
    expect(final.candidates).toHaveLength(1);

    // Exactly one acknowledgement was ever queued by aura, though it was killed around that very event.
    const acks = query<{ n: number }>(
      system.dbFiles.aura as string,
      "SELECT COUNT(*) AS n FROM outbox WHERE request_id = ? AND event LIKE '%RequestAcknowledged%'",
      requestId,
    );
    expect(acks[0]?.n).toBe(1);
    const received = query<{ n: number }>(
      system.dbFiles.bwi as string,
      'SELECT COUNT(*) AS n FROM received_candidates WHERE request_id = ?',
      requestId,
    );
    expect(received[0]?.n).toBe(1);
  }, 180_000);

  const localCluster = process.env.PASSPORT_CLUSTER_SOURCE === 'local';
  (localCluster ? it : it.skip)(
    'keeps accepting while the broker is down and delivers everything once it is back',
    async () => {
      const profile = profileFromEnvironment('test');
      const before = await system.call<{ requestId: string }>(
        'bwi',
        'POST',
        '/requests',
        requestBody('Gripper partner before the outage'),
      );
      await eventually(
        async () =>
          (await status(before.body.requestId)).partners.every((p) => p.status === 'acknowledged')
            ? true
            : undefined,
        'acknowledgements before the outage',
      );

      await stopKafka(profile, () => undefined);
      try {
        const during = await system.call<{ requestId: string }>(
          'bwi',
          'POST',
          '/requests',
          requestBody('Gripper partner during the outage'),
        );
        expect(during.status).toBe(201);
        expect(
          (await system.call('accio', 'POST', `/inbox/${before.body.requestId}/candidates`, candidates))
            .status,
        ).toBe(201);
        const queued = query<{ n: number }>(
          system.dbFiles.bwi as string,
          'SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL',
        );
        expect(queued[0]?.n).toBeGreaterThan(0);

        await up(profile, () => undefined);
        await eventually(
          async () =>
            (await status(during.body.requestId)).partners.every((p) => p.status === 'acknowledged')
              ? true
              : undefined,
          'acknowledgements of the request accepted during the outage',
          120_000,
        );
        await eventually(
          async () => ((await status(before.body.requestId)).candidates.length === 1 ? true : undefined),
          'the candidates proposed during the outage',
          120_000,
        );
      } finally {
        await up(profile, () => undefined);
      }
      for (const agency of ['bwi', 'accio']) {
        const unpublished = query<{ n: number }>(
          system.dbFiles[agency] as string,
          'SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL',
        );
        expect({ agency, unpublished: unpublished[0]?.n }).toEqual({ agency, unpublished: 0 });
      }
      const received = query<{ n: number }>(
        system.dbFiles.bwi as string,
        'SELECT COUNT(*) AS n FROM received_candidates WHERE request_id = ?',
        before.body.requestId,
      );
      expect(received[0]?.n).toBe(1);
    },
    300_000,
  );
});
