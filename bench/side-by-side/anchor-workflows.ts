// The anchor's workflow for the side-by-side benchmark: the raw SDK doing the shape of work one back-office
// action does (an update whose handler runs one activity), without the product around it.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const recordUpdate = defineUpdate<number, [string]>('record');

export interface AnchorActivities {
  record(text: string): Promise<number>;
}

const { record } = proxyActivities<AnchorActivities>({ startToCloseTimeout: '10 seconds' });

export async function anchor(): Promise<void> {
  setHandler(recordUpdate, (text) => record(text));
  await condition(() => false);
}
