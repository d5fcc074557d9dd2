import { describe, expect, it } from "vitest";
import { nextAction } from "./next-action";

const row = (key: string, customers: number, revenue: string) => ({ key, customers, revenue });

describe("nextAction: what the dashboard asks the merchant to do first", () => {
  it("GIVEN slipping segments THEN win back the one with the most net spend, whatever its size", () => {
    expect(
      nextAction([
        row("champions", 50, "90000.00"),
        row("at_risk", 80, "1200.00"),
        row("cant_lose", 5, "4300.50"),
        row("about_to_sleep", 200, "900.00"),
      ]),
    ).toEqual({ kind: "win_back", segment: "cant_lose" });
  });

  it("GIVEN About to sleep holds the most at stake THEN it is the one", () => {
    expect(
      nextAction([row("at_risk", 3, "100.00"), row("cant_lose", 1, "50.00"), row("about_to_sleep", 9, "100.01")]),
    ).toEqual({ kind: "win_back", segment: "about_to_sleep" });
  });

  it("GIVEN equal net spend THEN more customers win, then the order At risk, Can't lose, About to sleep", () => {
    expect(nextAction([row("at_risk", 2, "10.00"), row("cant_lose", 3, "10.00")])).toEqual({
      kind: "win_back",
      segment: "cant_lose",
    });
    expect(nextAction([row("about_to_sleep", 2, "10.00"), row("at_risk", 2, "10.00")])).toEqual({
      kind: "win_back",
      segment: "at_risk",
    });
  });

  it("GIVEN slipping segments that are empty THEN reward the best segment with the most net spend", () => {
    expect(
      nextAction([
        row("at_risk", 0, "0"),
        row("champions", 10, "500.00"),
        row("loyal", 40, "800.00"),
        row("lost", 300, "9000.00"),
      ]),
    ).toEqual({ kind: "reward", segment: "loyal" });
    expect(nextAction([row("champions", 1, "20.00")])).toEqual({ kind: "reward", segment: "champions" });
  });

  it("GIVEN neither slipping nor best customers THEN no action", () => {
    expect(nextAction([row("lost", 30, "100.00"), row("new", 4, "80.00")])).toBeNull();
    expect(nextAction([])).toBeNull();
  });
});
