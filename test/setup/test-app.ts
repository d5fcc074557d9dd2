import { DEMO_APP } from "../demo/stack";

/** The app credentials tests use on both sides (the app and the emulator). */
export const TEST_APP = DEMO_APP;
