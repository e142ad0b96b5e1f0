import { conflict, notFound, serviceUnavailable, unprocessable } from '../../kernel/errors.ts';
import { NameTaken } from './ports.ts';

export const idNotFound = (id: number) => notFound(`ID ${id} not found`);
/** How often an operation that lost a race runs again before giving up with `contention()`. */
export const RACE_ATTEMPTS = 5;
export const contention = () => serviceUnavailable('too much contention on this resource, please retry', 'CONTENTION');

export const noFieldsToUpdate = () => unprocessable('no fields to update', undefined, 'NO_FIELDS_TO_UPDATE');

/** Fields with a value: null and absent both mean "unchanged" (ORIGINAL §5.1 E3). */
export const givenFields = (body: object) => Object.values(body).filter((v) => v != null).length;

export function throwError(error: Error): never {
  throw error;
}

/** A taken unique name → 409 with the message of the operation. */
export const rethrowNameTaken = (message: string) => (error: unknown) => {
  throw error instanceof NameTaken ? conflict(message, 'NAME_TAKEN') : error;
};
