/**
 * The benchmark's reference: a jscodeshift transform that does nothing (it neither parses nor
 * prints), so a run of the standard CLI with it costs only the CLI itself: start-up, finding
 * the files, reading each one and handing it to the transform.
 */
module.exports = function noop() {
  return undefined;
};
