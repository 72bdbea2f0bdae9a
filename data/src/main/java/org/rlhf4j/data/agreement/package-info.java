/**
 * Inter-rater agreement: raw agreement, Cohen's and Light's kappa, Fleiss' kappa and Krippendorff's alpha
 * (nominal, interval or ranking distance) over an immutable units x raters {@link org.rlhf4j.data.agreement.Ratings}
 * table with missing values allowed. See {@link org.rlhf4j.data.agreement.Agreement} for degenerate cases.
 */
package org.rlhf4j.data.agreement;
