import { describe, expect, it } from "vitest";
import { emptyScores, lowestCountSkipsAScore, movedDown, moveDirection } from "./first-screen";
import { scoreFromRank } from "./scores";

describe("moveDirection: up and down the value ladder", () => {
  it.each([
    ["loyal", "champions", "up"],
    ["at_risk", "loyal", "up"],
    ["champions", "loyal", "down"],
    ["loyal", "about_to_sleep", "down"],
    ["cant_lose", "lost", "down"],
    ["new", "promising", "same"],
    ["at_risk", "cant_lose", "same"],
    ["lost", "lost_engaged", "same"],
    [null, "champions", "new"],
    ["champions", null, "gone"],
  ] as const)("GIVEN %s → %s THEN %s", (from, to, direction) => {
    expect(moveDirection(from, to)).toBe(direction);
  });

  it("GIVEN moves THEN moved down counts only moves to a lower step between scored segments", () => {
    expect(
      movedDown([
        { from: "champions", to: "loyal", customers: 3 },
        { from: "loyal", to: "champions", customers: 5 },
        { from: "loyal", to: null, customers: 7 },
        { from: null, to: "lost", customers: 11 },
        { from: "at_risk", to: "hibernating", customers: 2 },
      ]),
    ).toBe(5);
  });
});

describe("lowestCountSkipsAScore: when tie-aware ranks leave F 2 empty", () => {
  it.each([
    [5, 0.39, false],
    [5, 0.4, true],
    [4, 0.49, false],
    [4, 0.5, true],
  ] as const)("GIVEN scale %i and a %f share on the lowest count THEN %s", (scale, share, skips) => {
    expect(lowestCountSkipsAScore(share, scale)).toBe(skips);
    // The rule is the score rule's: the next count's score is 1 + floor(S × share).
    const n = 1000;
    expect(scoreFromRank(Math.round(share * n), n, scale) > 2).toBe(skips);
  });

  it("GIVEN grid cells THEN the empty scores are those nobody has", () => {
    expect(
      emptyScores(
        [
          { f: 1, customers: 4 },
          { f: 3, customers: 2 },
          { f: 5, customers: 0 },
        ],
        5,
      ),
    ).toEqual([2, 4, 5]);
    expect(emptyScores([], 5)).toEqual([]);
  });
});
