// rlhf4j production feedback client helper: local differential privacy for thumbs up/down.
// A deployed application loads this (or copies it) and randomises each vote *before* it leaves the user's device:
//   const body = randomizedFeedback({prompt, response, thumb: 'up'}, 1.0);   // epsilon chosen by the deployer
//   fetch(base + '/api/production/feedback', {method: 'POST', headers: {'Authorization': 'Bearer ' + token,
//     'Content-Type': 'application/json'}, body: JSON.stringify(body)});
// The server stores the randomised thumb flagged with its epsilon and estimates the true rate without bias
// (feedback/README.md, "Differential privacy"). Randomness: crypto.getRandomValues, never Math.random.
'use strict';

/** True with probability p, from 53 random bits of the platform's CSPRNG. */
function secureBernoulli(p) {
  const w = new Uint32Array(2);
  crypto.getRandomValues(w);
  const u = (w[0] * 2 ** 21 + (w[1] >>> 11)) / 2 ** 53;  // uniform in [0, 1)
  return u < p;
}

/** Warner's randomised response: the true vote with probability e^eps / (1 + e^eps), else its opposite. */
function randomizedThumb(up, epsilon) {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new Error('epsilon must be a positive number, got ' + epsilon);
  const truth = 1 / (1 + Math.exp(-epsilon));
  return secureBernoulli(truth) ? up : !up;
}

/** The feedback body with its thumb randomised and flagged; a correction would reveal the vote, so it is refused. */
function randomizedFeedback(feedback, epsilon) {
  if (feedback.correction !== undefined) throw new Error('a randomised thumb cannot carry a correction');
  const up = randomizedThumb(feedback.thumb === 'up', epsilon);
  return Object.assign({}, feedback, { thumb: up ? 'up' : 'down', randomizedResponse: { epsilon } });
}

if (typeof module !== 'undefined') module.exports = { randomizedThumb, randomizedFeedback };
