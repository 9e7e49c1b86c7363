/**
 * @name Model pruning
 * @description Pruning keeps aggregate accuracy while costing disproportionate accuracy on
 *              under-represented groups and rare examples.
 * @kind problem
 * @problem.severity warning
 * @precision high
 * @id py/fairlint/model-pruning
 * @tags fairness
 *       external/fairlint/CM01
 *       stage/compression
 *       technology/pytorch
 *       technology/tensorflow
 *       technology/tfmot
 * @bias-pattern CM01
 * @stage compression
 */

import python
import fairlint.PrivacyAndCompression

from ModelPruning use
select use, "This call prunes model weights (" + use.getApi() + ")."
