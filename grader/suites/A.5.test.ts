// A.5 — the vocabulary of reliability: SLA, SLO and SLI; the four golden signals; RED and USE. A wrong
// answer is named with why the chosen one cannot fit; the right answer is never told.
import { describe, it } from 'vitest';
import { judgeChoices, type Questions } from './oracles/A.choices.js';
import { goldenSignalFor, redUseSignalFor, signalThatCatches, sloForContract, termFor } from '@target/A/reliability.js';

type Term = 'SLA' | 'SLO' | 'SLI';
type GoldenSignal = 'latency' | 'traffic' | 'errors' | 'saturation';
type RedUseSignal = 'RED rate' | 'RED errors' | 'RED duration' | 'USE utilization' | 'USE saturation' | 'USE errors';

const TERMS: Questions<Term> = {
  'refund-clause': {
    scenario: 'below 99.5 % in a month, the customer gets 10 % of the fee back',
    right: ['SLA'],
    wrong: {
      SLO: "an objective is the team's own target, and missing it costs nobody money; here a refund is owed to a customer",
      SLI: 'an indicator is a measured number; this sentence measures nothing, it says what happens when a level is missed',
    },
  },
  'measured-last-28-days': {
    scenario: 'over the last 28 days, 99.93 % of prediction requests got no 5xx',
    right: ['SLI'],
    wrong: {
      SLA: 'no promise is made to anyone and no consequence is named: it reports what happened',
      SLO: 'it sets no target to aim for: it states a value that was observed',
    },
  },
  'release-freeze-target': {
    scenario: 'the team aims for 99.9 % over every 30 days, and freezes releases when it misses',
    right: ['SLO'],
    wrong: {
      SLA: 'nothing here is owed to a customer: it is a goal the team sets for itself, with its own policy for a miss',
      SLI: 'it is a target to aim for, not a value that was measured',
    },
  },
  'promql-ratio': {
    scenario: 'a PromQL ratio of non-5xx requests to all requests',
    right: ['SLI'],
    wrong: {
      SLA: 'a query promises nothing to anyone',
      SLO: 'there is no target in it: it computes a number, which a target can then be compared with',
    },
  },
  'latency-goal': {
    scenario: '99 % of POST /predict requests should finish within 500 ms over 30 days',
    right: ['SLO'],
    wrong: {
      SLA: 'no customer and no consequence are named: it is a goal',
      SLI: '"should finish within" states a target, not a measured value',
    },
  },
  'insurer-contract': {
    scenario: 'a contract promises 99.9 % monthly uptime, with service credits when missed',
    right: ['SLA'],
    wrong: {
      SLO: "it is written into a contract with a customer, with credits owed: more than the team's own goal",
      SLI: 'it measures nothing: it promises a level',
    },
  },
};

/** The SLO set under a 99.5 % SLA: a fraction, stricter than the contract, below 100 %. */
function sloProblem(seen: unknown): { unanswered: string[]; wrong: string[] } {
  const q = `'sloForContract' (the SLO under a 99.5 % SLA)`;
  if (seen === 'TODO' || seen === undefined) return { unanswered: [`'sloForContract'`], wrong: [] };
  const because = (why: string) => ({ unanswered: [], wrong: [`${q}: ${JSON.stringify(seen)} cannot fit: ${why}.`] });
  if (typeof seen !== 'number' || !Number.isFinite(seen) || seen <= 0) return because('an SLO is a fraction between 0 and 1');
  if (seen > 1) return because(`${seen} looks like a percentage: write the SLO as a fraction (95 % is 0.95)`);
  if (seen === 1) return because('100 % leaves no error budget at all: every single failure breaks it, so no deploy or restart is ever safe');
  if (seen === 0.995) return because('an SLO equal to the SLA leaves no margin: by the time the team misses it, the contract is already broken');
  if (seen < 0.995) return because('an SLO looser than the contract lets the team meet its own objective while the contract is already broken');
  return { unanswered: [], wrong: [] };
}

const GOLDEN: Questions<GoldenSignal> = {
  'requests-per-second': {
    scenario: 'requests per second arriving at POST /predict',
    right: ['traffic'],
    wrong: {
      latency: 'it counts how many requests arrive, not how long any of them takes',
      errors: 'it counts every request, failed or not',
      saturation: 'it measures demand, not how full the service is: the same rate is easy for one machine and too much for another',
    },
  },
  'p99-duration': {
    scenario: 'the p99 of request duration',
    right: ['latency'],
    wrong: {
      traffic: 'it measures how long requests take, not how many arrive',
      errors: 'a slow request is not a failed one: this number is a duration',
      saturation: 'saturation is how full a resource is, measured on the resource; this is a time that users feel',
    },
  },
  'share-5xx': {
    scenario: 'the share of responses with a 5xx status',
    right: ['errors'],
    wrong: {
      traffic: 'it is a share of failed answers, not an amount of demand',
      latency: 'it says nothing about how long requests take',
      saturation: 'it counts failed answers, not how full any resource is',
    },
  },
  'event-loop-lag': {
    scenario: 'the event-loop lag of the Node.js process',
    right: ['saturation'],
    wrong: {
      traffic: 'it is not an amount of demand: it is how long ready work waits for the one JavaScript thread',
      latency: 'it is measured on the process, not per request: it says how busy the thread is, before request durations show it',
      errors: 'nothing failed: it is a delay',
    },
  },
  'db-pool-waiting': {
    scenario: 'requests waiting for a free database connection',
    right: ['saturation'],
    wrong: {
      traffic: 'they are not new demand: they are work queued because a resource is all in use',
      latency: 'it is a number of waiting requests, not how long requests take',
      errors: 'waiting is not failing',
    },
  },
  'empty-200-answers': {
    scenario: 'status 200 with an empty prediction, because the model was not loaded',
    right: ['errors'],
    wrong: {
      traffic: 'these are answers of a certain kind, not an amount of demand',
      latency: 'how long they took is not the problem: the answer itself is',
      saturation: 'nothing is full here: the answer itself is the problem',
    },
  },
};

const INCIDENTS: Questions<GoldenSignal> = {
  'slow-downstream': {
    scenario: 'a downstream API became slow: everything succeeded in 8 s instead of 200 ms',
    right: ['latency'],
    wrong: {
      traffic: 'the request rate stayed flat, so a traffic alert would have stayed quiet',
      errors: 'every request still succeeded, so an error alert would have stayed quiet',
      saturation: "CPU, memory and queues of the service stayed flat, so a saturation alert would have stayed quiet",
    },
  },
  'dns-change': {
    scenario: 'a DNS change sent clients elsewhere: healthy, fast, no errors, almost no requests',
    right: ['traffic'],
    wrong: {
      latency: 'the few requests that arrived were fast',
      errors: 'no request failed',
      saturation: 'an idle service is the opposite of a full one',
    },
  },
  'disk-filling': {
    scenario: 'the log volume filled up over two days, then the service crashed',
    right: ['saturation'],
    wrong: {
      traffic: 'demand did not change',
      latency: 'requests stayed fast until the crash',
      errors: 'nothing failed before the crash: a signal that moves only then warns nobody in time',
    },
  },
  'bad-config-deploy': {
    scenario: 'a config typo: 30 % of POST /predict calls fail with a 500 within 2 ms',
    right: ['errors'],
    wrong: {
      latency: 'the failures are fast (2 ms): they would make latency look better, not worse',
      traffic: 'the same number of requests arrive as before',
      saturation: 'nothing is busier or fuller than before',
    },
  },
};

const RED_ITEM = 'the USE method describes a resource (a CPU, a disk, a connection pool), but this one is about the requests the service answers';
const USE_ITEM = 'the RED method describes the requests a service answers, but this one is about a resource (a CPU, a disk, a connection pool)';
const red = (scenario: string, right: RedUseSignal, within: Partial<Record<RedUseSignal, string>>) => ({
  scenario,
  right: [right],
  wrong: { 'USE utilization': RED_ITEM, 'USE saturation': RED_ITEM, 'USE errors': RED_ITEM, ...within },
});
const use = (scenario: string, right: RedUseSignal, within: Partial<Record<RedUseSignal, string>>) => ({
  scenario,
  right: [right],
  wrong: { 'RED rate': USE_ITEM, 'RED errors': USE_ITEM, 'RED duration': USE_ITEM, ...within },
});

const RED_USE: Questions<RedUseSignal> = {
  'predict-requests-per-second': red('POST /predict requests handled per second', 'RED rate', {
    'RED errors': 'it counts every request handled, failed or not',
    'RED duration': 'it counts requests; it does not time them',
  }),
  'predict-5xx-per-second': red('POST /predict requests per second answered with a 5xx', 'RED errors', {
    'RED rate': 'it counts only the failed requests, not all of them',
    'RED duration': 'it counts failures; it does not time anything',
  }),
  'predict-duration': red('how long POST /predict requests take', 'RED duration', {
    'RED rate': 'it times requests; it does not count how many there are',
    'RED errors': 'a slow request is not a failed one: this is a time',
  }),
  'cpu-busy-share': use('the share of the last minute the CPU was busy', 'USE utilization', {
    'USE saturation': 'busy time is how much of the CPU was used; saturation is extra work waiting because it is all used',
    'USE errors': 'nothing failed: it is a share of time',
  }),
  'pool-connections-in-use': use("database connections in use, out of the pool's 20", 'USE utilization', {
    'USE saturation': 'connections in use are the pool being used; nobody is said to be waiting',
    'USE errors': 'using a connection is not an error',
  }),
  'pool-waiters': use('requests waiting for a free connection from that pool', 'USE saturation', {
    'USE utilization': 'the waiting requests are not the connections in use: they are extra work queued because none is free',
    'USE errors': 'waiting is not failing',
  }),
  'disk-write-errors': use('write errors the disk reported to the kernel', 'USE errors', {
    'USE utilization': 'a count of failed writes is not how busy the disk is',
    'USE saturation': 'failed writes are not work queued for the disk',
  }),
};

const GOLDEN_SIGNALS: GoldenSignal[] = ['latency', 'traffic', 'errors', 'saturation'];

describe('A.5.sla-slo-sli', () => {
  it('each statement is named a contract (SLA), an objective (SLO) or a measurement (SLI), and the SLO under the SLA leaves a margin', () => {
    const problem = judgeChoices('termFor and sloForContract', termFor, TERMS, ['SLA', 'SLO', 'SLI'], { questions: 1, ...sloProblem(sloForContract) });
    if (problem) throw new Error(problem);
  });
});

describe('A.5.golden-signals', () => {
  it('each measurement in goldenSignalFor belongs to its golden signal', () => {
    const problem = judgeChoices('goldenSignalFor', goldenSignalFor, GOLDEN, GOLDEN_SIGNALS);
    if (problem) throw new Error(problem);
  });
});

describe('A.5.incidents', () => {
  it('each incident in signalThatCatches gets the golden signal that would have caught it', () => {
    const problem = judgeChoices('signalThatCatches', signalThatCatches, INCIDENTS, GOLDEN_SIGNALS);
    if (problem) throw new Error(problem);
  });
});

describe('A.5.red-use', () => {
  it('each measurement in redUseSignalFor is placed in RED (requests) or USE (resources), under the right letter', () => {
    const problem = judgeChoices('redUseSignalFor', redUseSignalFor, RED_USE, ['RED rate', 'RED errors', 'RED duration', 'USE utilization', 'USE saturation', 'USE errors']);
    if (problem) throw new Error(problem);
  });
});
