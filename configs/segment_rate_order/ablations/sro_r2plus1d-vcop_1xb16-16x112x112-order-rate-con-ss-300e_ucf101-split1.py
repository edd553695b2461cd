# Table VI, row 4: + shuffle similarity (III-F); no view synthesis (the
# keys are all re-sampled clips). Row 5 is the full method,
# ../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py.
_base_ = ['../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(view_synthesizer=None)
