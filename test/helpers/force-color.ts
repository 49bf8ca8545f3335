process.env['FORCE_COLOR'] ??= '3';
