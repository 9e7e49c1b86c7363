/**
 * @name Proxy feature used as a model input
 * @description A known proxy of a protected attribute (zip code, surname, language,
 *              relationship, ...) flows into the features a model is trained on, possibly
 *              through other functions; the model can recover the protected attribute from it.
 * @kind path-problem
 * @problem.severity warning
 * @precision medium
 * @id py/fairlint/proxy-feature-as-model-input
 * @tags fairness
 *       external/fairlint/DP14
 *       stage/preparation
 *       technology/pandas
 *       technology/sklearn
 *       technology/pytorch
 *       technology/tensorflow
 *       technology/keras
 * @bias-pattern DP14
 * @stage preparation
 */

import python
import fairlint.ModelInputQuery
import ProxyFeatureFlow::PathGraph

from ProxyFeatureFlow::PathNode source, ProxyFeatureFlow::PathNode sink
where ProxyFeatureFlow::flowPath(source, sink)
select sink.getNode(), source, sink,
  "The proxy feature $@ reaches this model input (" +
    sink.getNode().(ModelInputFlow::Sink).getApi() + ").", source.getNode(),
  source.getNode().(ModelInputFlow::Source).getAttributeName()
