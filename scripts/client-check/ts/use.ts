// A comparison-site front end written against the generated types: it must
// type-check, so a document change that breaks front ends fails CI.
import createClient from "openapi-fetch";
import type { paths, components } from "./api";

type LockListItem = components["schemas"]["api.LockListItem"];
type Problem = components["schemas"]["api.Problem"];

export async function topUKLocks(baseUrl: string): Promise<string[]> {
  const client = createClient<paths>({ baseUrl });
  const { data, error } = await client.GET("/api/v1/locks", {
    params: { query: { market: ["UK"], sort: "-score", limit: "5" } },
  });
  if (error) {
    const p: Problem = error;
    throw new Error(`${p.status} ${p.detail}`);
  }
  return data.items.map((it: LockListItem) => `${it.assessment.band} ${it.assessment.score} ${it.slug}`);
}

export async function whatIf(baseUrl: string): Promise<string> {
  const client = createClient<paths>({ baseUrl });
  const { data, error } = await client.POST("/api/v1/assessments", {
    body: { lock: { key_override: "none", keypad: true, emergency_power: "terminal_9v" }, context: { door_type: "uk_multipoint" } },
  });
  if (error) throw new Error(error.detail);
  return `${data.band} ${data.score}–${data.score_upper} ${data.gates.map((g) => g.id).join(",")}`;
}

export async function ranking(baseUrl: string): Promise<number> {
  const client = createClient<paths>({ baseUrl });
  const { data } = await client.GET("/api/v1/rankings", {
    params: { query: { door_type: "uk_multipoint", other_keyed_door: true, occupants: ["lives_alone"] } },
  });
  return data?.items[0]?.rank ?? 0;
}
