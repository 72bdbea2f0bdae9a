/** Reading and writing training data files in the layouts people already have; see {@link org.rlhf4j.data.format.DataFiles}. */
package org.rlhf4j.data.format;
