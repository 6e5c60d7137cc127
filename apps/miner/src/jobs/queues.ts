/** BullMQ queue names of the miner (job ids never contain `:`). */
export const MTURK_RESPONSE_QUEUE = 'mturk-response';
