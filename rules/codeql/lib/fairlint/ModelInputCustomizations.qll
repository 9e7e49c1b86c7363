/**
 * Sources, sinks and sanitizers for "an attribute reaches a model input" (DP12 protected
 * attributes, DP14 proxy features). Extend the abstract classes to model more APIs.
 */

private import python
private import semmle.python.dataflow.new.DataFlow
import fairlint.MachineLearning

/** Sources, sinks and sanitizers for attributes that reach a model input. */
module ModelInputFlow {
  /** A vocabulary kind, as a module parameter of the flow configuration. */
  signature module KindSig {
    /** Gets the vocabulary kind (`"protected"` or `"proxy"`). */
    string kind();
  }

  /** A node where an attribute of some vocabulary kind enters the data. */
  abstract class Source extends DataFlow::Node {
    /** Gets the vocabulary kind of the attribute. */
    abstract VocabularyKind getKind();

    /** Gets the attribute's name as written, for alert messages. */
    abstract string getAttributeName();
  }

  /** A node whose own name (string literal, attribute, parameter, variable) is a vocabulary term. */
  class NamedSource extends Source {
    VocabularyKind kind;

    NamedSource() { this.(VocabularyName).names(kind) }

    override VocabularyKind getKind() { result = kind }

    override string getAttributeName() { result = this.(VocabularyName).getText() }
  }

  /** A node where a model consumes features. */
  abstract class Sink extends DataFlow::Node {
    /** Gets a short description of the consuming API. */
    abstract string getApi();
  }

  /** The model inputs modelled in `fairlint.MachineLearning`. */
  class ModelInputSink extends Sink {
    ModelInputSink() { this instanceof ModelInput }

    override string getApi() { result = this.(ModelInput).getApi() }
  }

  /** A node after which data no longer carries attributes of a kind. */
  abstract class Sanitizer extends DataFlow::Node {
    /** Holds if this node removes attributes of `kind`. */
    abstract predicate removes(VocabularyKind kind);
  }

  /** An argument handed to a fairness API: a mitigation, not a model input. */
  class FairnessApiSanitizer extends Sanitizer {
    FairnessApiSanitizer() { this instanceof FairnessApiArgument }

    override predicate removes(VocabularyKind kind) { any() }
  }

  /** The result of dropping columns that name terms of the kind. */
  class ColumnDropSanitizer extends Sanitizer {
    ColumnDropSanitizer() { this instanceof ColumnDrop }

    override predicate removes(VocabularyKind kind) { this.(ColumnDrop).dropsTerm(kind) }
  }
}
