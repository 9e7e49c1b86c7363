/**
 * @name Differentially private training
 * @description Differentially private training (Opacus, TensorFlow Privacy) clips and noises
 *              gradients; under-represented groups lose the most accuracy.
 * @kind problem
 * @problem.severity warning
 * @precision high
 * @id py/fairlint/differentially-private-training
 * @tags fairness
 *       external/fairlint/TR01
 *       stage/training
 *       technology/pytorch
 *       technology/opacus
 *       technology/tensorflow
 *       technology/tensorflow-privacy
 * @bias-pattern TR01
 * @stage training
 */

import python
import fairlint.PrivacyAndCompression

from DifferentiallyPrivateTraining use
select use, "This call sets up differentially private training (" + use.getApi() + ")."
