import bcrypt from 'bcryptjs';
import type { PasswordHasher } from '../application/ports.ts';

/** bcrypt with the configured cost (BCRYPT_COST; the original used 10). */
export class BcryptHasher implements PasswordHasher {
  private decoy: Promise<string> | undefined;

  constructor(private readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  matches(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  async burn(password: string): Promise<void> {
    this.decoy ??= bcrypt.hash('decoy password for unknown e-mails', this.cost);
    await bcrypt.compare(password, await this.decoy);
  }
}
