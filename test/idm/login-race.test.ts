import { afterAll, describe } from 'vitest';
import { stopApi } from '../support/api.ts';
import { loginRaceTests } from './login-race.ts';

afterAll(stopApi);

describe(`concurrent logins, throttled in ${process.env.REDIS_URL ? 'Redis' : 'memory (no REDIS_URL)'}`, () => loginRaceTests());
