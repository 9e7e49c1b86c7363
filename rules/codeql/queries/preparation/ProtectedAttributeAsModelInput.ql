/**
 * @name Protected attribute used as a model input
 * @description A protected attribute (sex, race, age, ...) flows into the features a model is
 *              trained on, possibly through other functions; the model can then treat groups
 *              differently (disparate treatment).
 * @kind path-problem
 * @problem.severity warning
 * @precision medium
 * @id py/fairlint/protected-attribute-as-model-input
 * @tags fairness
 *       external/fairlint/DP12
 *       stage/preparation
 *       technology/pandas
 *       technology/sklearn
 *       technology/pytorch
 *       technology/tensorflow
 *       technology/keras
 * @bias-pattern DP12
 * @stage preparation
 */

import python
import fairlint.ModelInputQuery
import ProtectedAttributeFlow::PathGraph

from ProtectedAttributeFlow::PathNode source, ProtectedAttributeFlow::PathNode sink
where ProtectedAttributeFlow::flowPath(source, sink)
select sink.getNode(), source, sink,
  "The protected attribute $@ reaches this model input (" +
    sink.getNode().(ModelInputFlow::Sink).getApi() + ").", source.getNode(),
  source.getNode().(ModelInputFlow::Source).getAttributeName()
