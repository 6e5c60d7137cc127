import { type Assignment, ListAssignmentsForHITCommand, type MTurkClient } from '@aws-sdk/client-mturk';

const MAX_PAGES = 20;

/**
 * Lists every assignment of a HIT (all pages, submitted and approved), as MTurk returns them.
 *
 * @param client An MTurk client bound to the endpoint of the environment.
 * @param hitId The HIT.
 * @returns All assignments so far (MaxAssignments bounds the count; pages are capped at 20).
 */
export async function listAllAssignments(client: MTurkClient, hitId: string): Promise<Assignment[]> {
  const all: Assignment[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await client.send(
      new ListAssignmentsForHITCommand({
        HITId: hitId,
        MaxResults: 100,
        AssignmentStatuses: ['Submitted', 'Approved'],
        ...(token ? { NextToken: token } : {}),
      }),
    );
    all.push(...(out.Assignments ?? []));
    token = out.NextToken;
    if (!token) break;
  }
  return all;
}
