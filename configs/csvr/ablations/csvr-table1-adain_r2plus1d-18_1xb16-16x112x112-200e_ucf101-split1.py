# CSVR Table I ablation "adain": the integration layer's mode 'adain' in the
# joint stage (see docs/methods/csvr.md, "Ablations", for how the paper's
# rows map onto integration modes; 'full' is the main config).
_base_ = ['../csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(integration=dict(mode='adain'))
