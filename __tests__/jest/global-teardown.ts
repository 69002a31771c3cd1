import { teardown } from "./scratch";

export default teardown;
