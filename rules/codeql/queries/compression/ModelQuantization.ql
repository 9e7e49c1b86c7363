/**
 * @name Model quantization
 * @description Quantization keeps aggregate accuracy while costing disproportionate accuracy
 *              on under-represented groups and rare examples.
 * @kind problem
 * @problem.severity warning
 * @precision high
 * @id py/fairlint/model-quantization
 * @tags fairness
 *       external/fairlint/CM02
 *       stage/compression
 *       technology/pytorch
 *       technology/tensorflow
 *       technology/tfmot
 *       technology/tflite
 * @bias-pattern CM02
 * @stage compression
 */

import python
import fairlint.PrivacyAndCompression

from ModelQuantization use
select use, "This quantizes the model (" + use.getApi() + ")."
