import torchaudio
import whisper
from speechbrain.pretrained import EncoderDecoderASR
from transformers import (
    AutoModelForSpeechSeq2Seq,
    BertModel,
    TFWav2Vec2ForCTC,
    Wav2Vec2FeatureExtractor,
    Wav2Vec2ForCTC,
    Wav2Vec2Processor,
    WhisperForConditionalGeneration,
    pipeline,
)

# ruleid: pretrained-speech-recognition
asr = Wav2Vec2ForCTC.from_pretrained("facebook/wav2vec2-base-960h")

# ruleid: pretrained-speech-recognition
asr_tf = TFWav2Vec2ForCTC.from_pretrained("facebook/wav2vec2-base-960h")

# ruleid: pretrained-speech-recognition
wm = WhisperForConditionalGeneration.from_pretrained("openai/whisper-small")

# ruleid: pretrained-speech-recognition
s2s = AutoModelForSpeechSeq2Seq.from_pretrained("openai/whisper-large-v3")

# ruleid: pretrained-speech-recognition
transcriber = pipeline("automatic-speech-recognition", model="openai/whisper-base")

# ruleid: pretrained-speech-recognition
transcriber = pipeline(task="automatic-speech-recognition")

# ruleid: pretrained-speech-recognition
model = whisper.load_model("base")

# ruleid: pretrained-speech-recognition
w2v = torchaudio.pipelines.WAV2VEC2_ASR_BASE_960H.get_model()

# ruleid: pretrained-speech-recognition
sb = EncoderDecoderASR.from_hparams(source="speechbrain/asr-crdnn-rnnlm-librispeech")

# Near misses: text models, feature extractors, TTS bundles, other pipelines.
# ok: pretrained-speech-recognition
bert = BertModel.from_pretrained("bert-base-uncased")

# ok: pretrained-speech-recognition
processor = Wav2Vec2Processor.from_pretrained("facebook/wav2vec2-base-960h")

# ok: pretrained-speech-recognition
fe = Wav2Vec2FeatureExtractor.from_pretrained("facebook/wav2vec2-base")

# ok: pretrained-speech-recognition
tts = torchaudio.pipelines.TACOTRON2_WAVERNN_PHONE_LJSPEECH.get_tacotron2()

# ok: pretrained-speech-recognition
sentiment = pipeline("sentiment-analysis")

# ok: pretrained-speech-recognition
waveform, rate = torchaudio.load("message_usage.wav")

# ok: pretrained-speech-recognition
clf = joblib.load_model("stage_model.pkl")

import nemo.collections.asr as nemo_asr

# ruleid: pretrained-speech-recognition
quartznet = nemo_asr.models.EncDecCTCModel.from_pretrained(model_name="QuartzNet15x5Base-En")


class Wav2Vec2ForCTCnCLS(Wav2Vec2ForCTC):
    pass


# ruleid: pretrained-speech-recognition
own = Wav2Vec2ForCTCnCLS.from_pretrained("facebook/wav2vec2-large-xlsr-53")

# ok: pretrained-speech-recognition
own_processor = Wav2Vec2ProcessorWithLM.from_pretrained("facebook/wav2vec2-base-960h")

# ruleid: pretrained-speech-recognition
checkpoint = "facebook/wav2vec2-large-xlsr-53"

# ruleid: pretrained-speech-recognition
EMOTION_MODEL = "someone/wav2vec2-large-emotion-detection"

# ok: pretrained-speech-recognition
text_checkpoint = "facebook/bart-large"

# ok: pretrained-speech-recognition
note = "wav2vec2 is described in the README"


# --- a backbone built inside a subclass of its PreTrainedModel
from transformers import BertModel, BertPreTrainedModel, Wav2Vec2Model, Wav2Vec2PreTrainedModel


class SpeechWithHeads(Wav2Vec2PreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        # ruleid: pretrained-speech-recognition
        self.backbone = Wav2Vec2Model(config)


class TextWithHeads(BertPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        # ok: pretrained-speech-recognition
        self.bert = BertModel(config)


class Plain:
    def __init__(self, config):
        # ok: pretrained-speech-recognition
        self.backbone = Wav2Vec2Model(config)
