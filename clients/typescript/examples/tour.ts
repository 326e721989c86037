// The TypeScript client at work against a running lockscore: a ranking for
// a door and household, a what-if assessment, walking every page of a
// list, and a problem answer as a thrown ProblemError. CI runs it against a
// live server (scripts/client-check); it exits 1 when anything is off.
//
//     npm run build && node dist/examples/tour.js http://localhost:8080
import { createLockscoreClient, pages, ProblemError, unwrap, type Schemas } from "../src/index.js";

declare const process: { argv: string[]; exitCode?: number };

function expect(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

async function tour(baseUrl: string): Promise<void> {
  const client = createLockscoreClient(baseUrl);

  // 1. The five best locks for a UK composite door, with a keyed back door, for someone living alone.
  const ranking = unwrap(
    await client.GET("/api/v1/rankings", {
      params: { query: { door_type: "uk_multipoint", other_keyed_door: true, occupants: ["lives_alone"], limit: "5" } },
    }),
  );
  expect(ranking.items.length > 0 && ranking.items[0].rank === 1, "the ranking is empty or does not start at rank 1");
  for (const row of ranking.items) console.log(`${row.rank}. ${row.band} ${row.score} ${row.slug}`);

  // 2. What-if: a keyless keypad lock that is not in the catalogue.
  const a: Schemas["Assessment"] = unwrap(
    await client.POST("/api/v1/assessments", {
      body: {
        lock: { key_override: "none", keypad: true, emergency_power: "terminal_9v", interior_egress: "mechanical" },
        context: { door_type: "uk_multipoint" },
      },
    }),
  );
  expect(a.gates[0]?.id === "G1", `a lock without a key override must hit gate G1, got ${a.gates.map((g) => g.id)}`);
  console.log(`what-if: band ${a.band}, score ${a.score}: ${a.verdict}`);

  // 3. Every UK lock, walking the pages 7 at a time: each once.
  const seen = new Set<string>();
  for await (const lock of pages((cursor) =>
    client.GET("/api/v1/locks", { params: { query: { market: ["UK"], limit: "7", cursor } } }).then(unwrap),
  )) {
    expect(!seen.has(lock.slug), `${lock.slug} came twice`);
    seen.add(lock.slug);
  }
  const first = unwrap(await client.GET("/api/v1/locks", { params: { query: { market: ["UK"], limit: "1" } } }));
  expect(seen.size === first.total, `walked ${seen.size} UK locks, total says ${first.total}`);
  console.log(`walked all ${seen.size} UK locks`);

  // 4. A problem answer is a ProblemError whose type URL explains it.
  try {
    unwrap(await client.GET("/api/v1/locks/{slug}", { params: { path: { slug: "no-such-lock" } } }));
    throw new Error("a missing lock was found");
  } catch (e) {
    expect(e instanceof ProblemError && e.status === 404 && e.problem.type === "/problems/not-found", `want a 404 not-found problem, got ${e}`);
    console.log(`problem: ${(e as ProblemError).message}`);
  }
  const help = unwrap(await client.GET("/problems/{type}", { params: { path: { type: "not-found" } } }));
  console.log(`what to do: ${help.fix}`);
  try {
    unwrap(await client.GET("/api/v1/locks", { params: { query: { limit: "1000" } } }));
    throw new Error("limit=1000 was accepted");
  } catch (e) {
    expect(e instanceof ProblemError && e.status === 400 && e.problem.errors[0]?.field === "limit", `want a 400 naming limit, got ${e}`);
  }
}

tour(process.argv[2] ?? "http://localhost:8080").catch((e) => {
  console.error("tour:", e);
  process.exitCode = 1;
});
