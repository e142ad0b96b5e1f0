import { readyHandler } from '#shared/http/health';
import { mongoProbe } from '#shared/kernel/mongo';
import { idempotencyTableProbe } from '#shared/users/infrastructure/dynamo-idempotency';

export const handler = readyHandler('users', { mongodb: mongoProbe, dynamodb: idempotencyTableProbe });
