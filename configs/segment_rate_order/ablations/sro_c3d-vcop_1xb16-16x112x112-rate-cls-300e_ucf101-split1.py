# Table V: rate classification with C3D.
_base_ = ['../sro_c3d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(rate_head=dict(mode='classification', max_rate=8))
