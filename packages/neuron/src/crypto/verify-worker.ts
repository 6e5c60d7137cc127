// Piscina worker: one sr25519 verification per task, off the axon's event loop.
import { sr25519Ready, verifySr25519 } from './sr25519.js';

const ready = sr25519Ready();

/** Task shape sent by the axon's verification pool. */
export interface VerifyTask {
  signature: string;
  message: string;
  ss58: string;
}

export default async function verifyTask(task: VerifyTask): Promise<boolean> {
  await ready;
  return verifySr25519(task.signature, task.message, task.ss58);
}
