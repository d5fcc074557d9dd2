import { describe, expect, it } from "vitest";
import {
  insufficientData,
  insufficientFit,
  MIN_HISTORY_DAYS,
  MIN_REPEAT_CUSTOMERS,
  predictionReasonOf,
} from "./sufficiency";

describe("data sufficiency for predictions", () => {
  it("GIVEN enough repeat customers over enough history THEN the data is sufficient", () => {
    expect(insufficientData({ repeatCustomers: MIN_REPEAT_CUSTOMERS, historyDays: MIN_HISTORY_DAYS })).toBeNull();
  });

  it("GIVEN one repeat customer short THEN too few repeat customers", () => {
    expect(insufficientData({ repeatCustomers: MIN_REPEAT_CUSTOMERS - 1, historyDays: 1000 })).toBe(
      "too_few_repeat_customers",
    );
  });

  it("GIVEN a history a day short of three months THEN the history is too short, whatever the customers", () => {
    expect(insufficientData({ repeatCustomers: 10_000, historyDays: MIN_HISTORY_DAYS - 1 })).toBe("history_too_short");
    expect(insufficientData({ repeatCustomers: 0, historyDays: 0 })).toBe("history_too_short");
  });

  it("GIVEN a fit that did not converge THEN it is not used", () => {
    expect(insufficientFit({ converged: false })).toBe("not_converged");
    expect(insufficientFit({ converged: true })).toBeNull();
  });

  it("GIVEN a stored reason THEN it reads back as itself; anything else as a fit that did not converge", () => {
    expect(predictionReasonOf("history_too_short")).toBe("history_too_short");
    expect(predictionReasonOf("too_few_repeat_customers")).toBe("too_few_repeat_customers");
    expect(predictionReasonOf("something new")).toBe("not_converged");
    expect(predictionReasonOf(null)).toBe("not_converged");
  });
});
