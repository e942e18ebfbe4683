// UI text: zh-CN first, English by a switch kept in localStorage.
const text = {
  'zh-CN': {
    title: '服务大厅监管', connecting: '连接中…', live: '实时', disconnected: '已断开，重连中…',
    search: '搜索站点', logout: '退出', user: '用户名', password: '密码', signIn: '登录',
    changePassword: '修改密码', mustChange: '首次登录或密码过期，须修改密码。', newPassword: '新密码（至少 12 位，含大写、小写、数字、符号中至少 3 类，不能与最近 5 次相同）', save: '保存',
    online: '在线', reconnecting: '重连中', offline: '离线', cameraDown: '摄像头故障', analysisBehindShort: '分析跟不上',
    analysisBehind: '分析跟不上：近一分钟跳过 {n} 帧（录像不受影响，本站摄像头可能超出主机的分析能力）', noSnapshot: '暂无画面',
    authFailed: '认证失败（用户名或密码错误）', seconds: '秒', gopUnknown: '未知',
    fullDecode: '关键帧间隔 {gop} 超过上限：逐帧解码分析，1080p 约占一个 CPU 核心的 20 %', keyFramesOnly: '仅解码关键帧分析，每 {gop} 一帧',
    streamMain: '主码流', streamSub: '子码流', 'stream.up': '正常', 'stream.down': '中断', 'stream.connecting': '连接中', 'stream.refused': '已拒用',
    analysisFromMain: '子码流不可用，分析暂用主码流关键帧', analysisFromSub: '分析用子码流', kbps: 'kbit/s',
    sites: '站点', sitesOnline: '在线站点', camerasUp: '摄像头正常', lastHeartbeat: '最近心跳',
    freeDisk: '剩余磁盘', clockSkew: '时钟偏差', version: '版本', never: '从未', noSites: '尚未登记站点。',
    wrongLogin: '用户名或密码错误', tooMany: '尝试过于频繁或账户已暂时锁定，请稍后再试', secondsAgo: '秒前', district: '片区',
    staffed: '在岗', staffedHint: '在岗窗口 / 开放窗口', openAlerts: '告警', unstaffedSites: '窗口无人', sitesWithAlerts: '有告警站点',
    alertsTitle: '告警', navWall: '总览墙', navAlerts: '告警', soundOn: '声音：开', soundOff: '声音：关', allTypes: '全部类型',
    'type.WindowUnstaffed': '窗口无人', 'type.ClerkInactive': '睡岗/静止', 'type.CameraDown': '摄像头故障', 'type.CameraTampered': '摄像头被遮挡或移动',
    'type.RecorderOffline': '录像机离线', 'type.DiskLow': '磁盘空间不足', 'type.ClockSkew': '时钟偏差', 'type.EvidenceTampered': '证据文件被改动', 'type.EventsParked': '事件被拒收（已搁置）',
    unresolved: '未解除', 'state.Open': '待处理', 'state.Acknowledged': '已确认', 'state.Resolved': '已解除',
    colOpened: '发生时间', colSite: '站点', colType: '类型', colSubject: '对象', colMessage: '说明', colState: '状态', colHandling: '处理',
    ackTitle: '确认告警', ackNote: '处理说明（必填）', acknowledge: '确认', cancel: '取消', noteRequired: '请填写处理说明',
    alreadyHandled: '该告警已被他人处理', failed: '操作失败', noAlerts: '没有符合条件的告警', alertsShown: '条告警', escalated: '已升级',
    bySystem: '系统',
    cameras: '摄像头', windows: '窗口', colWindow: '窗口', colSince: '开始于', colInState: '持续', todayTimeline: '今日在岗时间线',
    'ws.Staffed': '在岗', 'ws.Away': '暂离', 'ws.Unstaffed': '无人', 'ws.Unknown': '未知', minutes: '分钟', hours: '小时', timeZone: '时区',
    'absence.lastSeen': '最后在座', 'absence.vacated': '确认离岗', 'absence.unstaffed': '判定缺岗', colAbsence: '离岗经过',
    singleSignal: '单信号', singleSignalHint: '录像机缺少人脸/姿态模型，仅凭人形分割判断在岗：宠物、衣物等可能被误认为工作人员',
    attendanceTitle: '考勤统计', navAttendance: '考勤', bySite: '按站点', byDistrict: '按片区', periodDay: '日', periodWeek: '周', periodMonth: '月',
    query: '查询', exportCsv: '导出 CSV', colRank: '排名', colRate: '在岗率', colAbsences: '缺岗次数', colAbsenceMin: '缺岗分钟', colAwayMin: '暂离分钟',
    holdsTitle: '证据保全', holdRange: '保全所选时段', holdsHint: '保全的录像不会被自动清理，直到解除保全。调取录像时会自动保全其来源时段。',
    colPlacedBy: '保全人', colHoldState: '状态', holdRelease: '解除保全', noHolds: '该站点没有保全记录',
    'hold.Requested': '待录像机确认', 'hold.Held': '已保全', 'hold.ReleaseRequested': '解除中，待录像机确认', 'hold.Released': '已解除',
    colUnknownMin: '未知分钟', colInactiveMin: '睡岗/静止分钟', snapshot: '抓拍', noData: '该期间没有数据', colScheduledMin: '应在岗分钟', provisionalDays: '天为临时统计（录像机尚未结算）',
    'type.WindowStaffed': '到岗', 'type.WindowVacated': '离岗', 'type.WindowRestaffed': '回岗', 'type.WindowUnknown': '状态未知', 'type.ClerkActive': '恢复活动', 'type.RecordingGap': '录像缺失',
    navReview: '录像调阅', dayTimeline: '在岗时间线与录像覆盖', navVerify: '证据校验', reviewTitle: '投诉录像调阅', site: '站点', camera: '摄像头', window: '窗口', anyWindow: '（按摄像头）',
    day: '日期', clipFrom: '起', clipTo: '止', reason: '调阅原因（必填）', requestClip: '调取录像', reasonRequired: '请填写原因',
    recordingTrack: '录像', 'gap': '录像缺失', events: '事件', noEvents: '当天没有事件',
    'clip.Requested': '已请求，等待录像机…', 'clip.Uploading': '上传中', 'clip.Complete': '已就绪', 'clip.Failed': '失败',
    keepCase: '保存为案件', caseReason: '立案原因（必填）', cases: '案件', downloadPackage: '下载证据包', caseKept: '已保存为案件',
    colKeptAt: '保存时间', colKeptBy: '保存人', colReason: '原因', colRange: '时段', noCases: '尚无案件',
    verifyTitle: '证据包校验', verifyHint: '将下载的证据包（zip）拖到此处，或点击选择文件。', verifying: '校验中…',
    intact: '完整：所有文件与 SHA-256 校验值一致，签名有效', notIntact: '不完整或已被改动：',
    signedBy: '签名者：{signer}，签名时间 {at}（密钥 {key}）', keyRetired: '该密钥已于 {at} 轮换停用，其签名仍然有效。', notSigned: '无有效签名。',
    verifyForbidden: '只有督查员或管理员可以校验证据包。', verifyTooLarge: '文件过大或含有异常压缩内容，已拒绝。', verifyBusy: '其他证据包正在校验，请稍后再试。',
    signingKeysAt: '签名公钥发布于',
    allDistricts: '全部片区', allStates: '全部状态', stateBad: '有窗口无人', stateWarn: '需关注', stateAlerts: '有未处理告警', stateDown: '离线', stateOk: '正常',
    seatEdit: '编辑座位区域', seatEditing: '正在编辑座位：', seatRedraw: '重画', seatDrawHint: '在画面上依次点击各顶点', 'seat.Pending': '已保存，等待录像机应用…',
    'seat.Applied': '座位区域已应用', 'seat.Refused': '录像机拒绝', byDepartment: '按部门', colDepartments: '部门', episodesTitle: '缺岗明细',
    colBackAt: '回岗时间', colMinutes: '分钟', colSnapshots: '抓拍', stillAbsent: '尚未回岗', noEpisodes: '该期间没有缺岗', close: '关闭',
    liveTitle: '实时视频', liveVideo: '实时视频', liveWaiting: '等待录像机推流…', livePlaying: '正在播放', liveStopped: '已停止', liveStop: '停止',
    liveHint: '仅在有人观看时推流；最后一位观看者离开后一分钟内停止。', liveLatency: '距直播点', liveUnsupported: '此浏览器无法播放实时视频',
    navPatrol: '视频巡查', patrolTitle: '视频巡查', patrolSites: '巡查站点', patrolInterval: '每个画面停留（秒）', patrolStart: '开始巡查',
    patrolPickSites: '请至少选择一个站点', patrolStop: '停止', patrolEnd: '结束巡查', patrolPause: '暂停', patrolResume: '继续', patrolNext: '下一个',
    patrolFine: '正常', patrolProblem: '有问题', patrolNote: '问题说明（有问题时必填）', patrolNoteRequired: '请填写问题说明',
    patrolStopOf: '画面', patrolRound: '轮次', patrolHistory: '巡查记录', colStarted: '开始时间', colBy: '巡查人', colStops: '画面数',
    colFindings: '发现', colProblems: '问题', colEnded: '结束时间', colVerdict: '结论', colNote: '说明', colSnapshot: '画面',
    'verdict.Fine': '正常', 'verdict.Problem': '有问题', noPatrols: '尚无巡查记录', patrolRunning: '进行中', findingSaved: '已记录',
    auditTitle: '审计日志', navAudit: '审计', auditVerify: '校验哈希链', auditId: '序号', auditAt: '时间', auditActor: '操作人',
    auditAction: '操作', auditTarget: '对象', auditDetail: '详情', auditHash: '哈希', auditPrevious: '前一条哈希',
    auditNewest: '最新', auditOlder: '更早', auditEnd: '没有更早的记录', auditIntact: '哈希链完整', auditBroken: '哈希链断裂于',
    auditChecking: '校验中…', auditAdminOnly: '仅管理员可查看审计日志',
  },
  en: {
    title: 'Service Hall Supervision', connecting: 'Connecting…', live: 'Live', disconnected: 'Disconnected, reconnecting…',
    search: 'Search sites', logout: 'Sign out', user: 'User', password: 'Password', signIn: 'Sign in',
    changePassword: 'Change password', mustChange: 'You must change your password (first sign-in, or it has expired).', newPassword: 'New password (12+ characters, at least 3 of upper case, lower case, digits, symbols; none of your last 5)', save: 'Save',
    online: 'Online', reconnecting: 'Reconnecting', offline: 'Offline', cameraDown: 'Camera down', analysisBehindShort: 'analysis behind',
    analysisBehind: 'Analysis behind: {n} frames skipped in the last minute (recording not affected; this box may have more cameras than it can analyse)', noSnapshot: 'No picture yet',
    authFailed: 'authentication failed (wrong user name or password)', seconds: 's', gopUnknown: 'unknown',
    fullDecode: 'Key-frame interval {gop} above the limit: every frame decoded for analysis, about 20 % of a CPU core at 1080p', keyFramesOnly: 'Analysis from key frames only, one every {gop}',
    streamMain: 'Main stream', streamSub: 'Sub stream', 'stream.up': 'up', 'stream.down': 'down', 'stream.connecting': 'connecting', 'stream.refused': 'refused',
    analysisFromMain: 'Sub stream unavailable: analysis from the main stream\'s key frames meanwhile', analysisFromSub: 'Analysis from the sub stream', kbps: 'kbit/s',
    sites: 'Sites', sitesOnline: 'Sites online', camerasUp: 'Cameras up', lastHeartbeat: 'Last heartbeat',
    freeDisk: 'Free disk', clockSkew: 'Clock skew', version: 'Version', never: 'never', noSites: 'No site registered yet.',
    wrongLogin: 'Wrong user name or password', tooMany: 'Too many attempts or the account is locked for a while; try again later', secondsAgo: 's ago', district: 'District',
    staffed: 'Staffed', staffedHint: 'Windows staffed / windows open', openAlerts: 'Alerts', unstaffedSites: 'Unstaffed', sitesWithAlerts: 'Sites with alerts',
    alertsTitle: 'Alerts', navWall: 'Wall', navAlerts: 'Alerts', soundOn: 'Sound: on', soundOff: 'Sound: off', allTypes: 'All types',
    'type.WindowUnstaffed': 'Window unstaffed', 'type.ClerkInactive': 'Clerk inactive', 'type.CameraDown': 'Camera down', 'type.CameraTampered': 'Camera covered or moved',
    'type.RecorderOffline': 'Recorder offline', 'type.DiskLow': 'Disk low', 'type.ClockSkew': 'Clock skew', 'type.EvidenceTampered': 'Evidence file changed', 'type.EventsParked': 'Events parked',
    unresolved: 'Unresolved', 'state.Open': 'Open', 'state.Acknowledged': 'Acknowledged', 'state.Resolved': 'Resolved',
    colOpened: 'Opened', colSite: 'Site', colType: 'Type', colSubject: 'Subject', colMessage: 'Message', colState: 'State', colHandling: 'Handling',
    ackTitle: 'Acknowledge alert', ackNote: 'Note (required)', acknowledge: 'Acknowledge', cancel: 'Cancel', noteRequired: 'Please write a note',
    alreadyHandled: 'Someone else already handled this alert', failed: 'Failed', noAlerts: 'No alert matches', alertsShown: 'alerts', escalated: 'Escalated',
    bySystem: 'system',
    cameras: 'Cameras', windows: 'Windows', colWindow: 'Window', colSince: 'Since', colInState: 'For', todayTimeline: "Today's occupancy",
    'ws.Staffed': 'Staffed', 'ws.Away': 'Away', 'ws.Unstaffed': 'Unstaffed', 'ws.Unknown': 'Unknown', minutes: 'min', hours: 'h', timeZone: 'Time zone',
    'absence.lastSeen': 'Last seen', 'absence.vacated': 'Away confirmed', 'absence.unstaffed': 'Unstaffed', colAbsence: 'Absence',
    singleSignal: 'single-signal', singleSignalHint: 'The Recorder has no face or pose model and judges seats by segmentation alone: a pet or a coat may pass for a clerk',
    attendanceTitle: 'Attendance', navAttendance: 'Attendance', bySite: 'By site', byDistrict: 'By district', periodDay: 'Day', periodWeek: 'Week', periodMonth: 'Month',
    query: 'Show', exportCsv: 'Export CSV', colRank: 'Rank', colRate: 'Staffed rate', colAbsences: 'Absences', colAbsenceMin: 'Absence min', colAwayMin: 'Away min',
    holdsTitle: 'Evidence holds', holdRange: 'Hold the chosen range', holdsHint: 'Held recordings are never removed by retention until the hold is released. Requesting a clip holds its source range.',
    colPlacedBy: 'Placed by', colHoldState: 'State', holdRelease: 'Release', noHolds: 'No holds for this site',
    'hold.Requested': 'Waiting for the Recorder', 'hold.Held': 'Held', 'hold.ReleaseRequested': 'Releasing, waiting for the Recorder', 'hold.Released': 'Released',
    colUnknownMin: 'Unknown min', colInactiveMin: 'Inactive min', snapshot: 'Snapshot', noData: 'No data for this period', colScheduledMin: 'Scheduled min', provisionalDays: 'day(s) provisional (not closed by the Recorder yet)',
    'type.WindowStaffed': 'Staffed', 'type.WindowVacated': 'Left the seat', 'type.WindowRestaffed': 'Back at the seat', 'type.WindowUnknown': 'State unknown', 'type.ClerkActive': 'Clerk active again', 'type.RecordingGap': 'No recording',
    navReview: 'Review', dayTimeline: 'Occupancy and recording coverage', navVerify: 'Verify', reviewTitle: 'Complaint review', site: 'Site', camera: 'Camera', window: 'Window', anyWindow: '(by camera)',
    day: 'Day', clipFrom: 'From', clipTo: 'To', reason: 'Reason (required)', requestClip: 'Request clip', reasonRequired: 'Please give a reason',
    recordingTrack: 'Recording', 'gap': 'No recording', events: 'Events', noEvents: 'No events that day',
    'clip.Requested': 'Requested, waiting for the Recorder…', 'clip.Uploading': 'Uploading', 'clip.Complete': 'Ready', 'clip.Failed': 'Failed',
    keepCase: 'Keep as case', caseReason: 'Reason for the case (required)', cases: 'Cases', downloadPackage: 'Download package', caseKept: 'Kept as a case',
    colKeptAt: 'Kept at', colKeptBy: 'Kept by', colReason: 'Reason', colRange: 'Range', noCases: 'No cases yet',
    verifyTitle: 'Verify a case package', verifyHint: 'Drop a downloaded case package (zip) here, or click to choose a file.', verifying: 'Checking…',
    intact: 'Intact: every file matches its SHA-256 and the signature is good', notIntact: 'Not intact or changed:',
    signedBy: 'Signed by {signer} at {at} (key {key})', keyRetired: 'The key was retired at {at}; its signatures stay valid.', notSigned: 'No valid signature.',
    verifyForbidden: 'Only supervisors and admins may verify packages.', verifyTooLarge: 'The file is too large or holds abnormal compressed content; refused.', verifyBusy: 'Other packages are being checked; try again shortly.',
    signingKeysAt: 'Signing public keys are published at',
    allDistricts: 'All districts', allStates: 'All states', stateBad: 'A window unstaffed', stateWarn: 'Needs attention', stateAlerts: 'Open alerts', stateDown: 'Offline', stateOk: 'Fine',
    seatEdit: 'Edit seat', seatEditing: 'Editing the seat of', seatRedraw: 'Redraw', seatDrawHint: 'click each corner on the picture', 'seat.Pending': 'Saved, waiting for the Recorder…',
    'seat.Applied': 'Seat applied', 'seat.Refused': 'Refused by the Recorder', byDepartment: 'By department', colDepartments: 'Departments', episodesTitle: 'Absences',
    colBackAt: 'Back at', colMinutes: 'Minutes', colSnapshots: 'Snapshots', stillAbsent: 'not back yet', noEpisodes: 'No absence in this period', close: 'Close',
    liveTitle: 'Live video', liveVideo: 'Live video', liveWaiting: 'Waiting for the Recorder…', livePlaying: 'Playing', liveStopped: 'Stopped', liveStop: 'Stop',
    liveHint: 'Pushed only while someone watches; stops within a minute after the last viewer leaves.', liveLatency: 'Behind live', liveUnsupported: 'This browser cannot play live video',
    navPatrol: 'Patrol', patrolTitle: 'Video patrol', patrolSites: 'Sites to patrol', patrolInterval: 'Seconds per camera', patrolStart: 'Start patrol',
    patrolPickSites: 'Choose at least one site', patrolStop: 'Stop', patrolEnd: 'End patrol', patrolPause: 'Pause', patrolResume: 'Resume', patrolNext: 'Next',
    patrolFine: 'Fine', patrolProblem: 'Problem', patrolNote: 'Note (required for a problem)', patrolNoteRequired: 'Please describe the problem',
    patrolStopOf: 'Camera', patrolRound: 'Round', patrolHistory: 'Patrols', colStarted: 'Started', colBy: 'By', colStops: 'Cameras',
    colFindings: 'Findings', colProblems: 'Problems', colEnded: 'Ended', colVerdict: 'Verdict', colNote: 'Note', colSnapshot: 'Picture',
    'verdict.Fine': 'Fine', 'verdict.Problem': 'Problem', noPatrols: 'No patrols yet', patrolRunning: 'Running', findingSaved: 'Recorded',
    auditTitle: 'Audit log', navAudit: 'Audit', auditVerify: 'Check hash chain', auditId: 'No.', auditAt: 'Time', auditActor: 'By',
    auditAction: 'Action', auditTarget: 'Target', auditDetail: 'Detail', auditHash: 'Hash', auditPrevious: 'Previous hash',
    auditNewest: 'Newest', auditOlder: 'Older', auditEnd: 'No older entries', auditIntact: 'Hash chain intact', auditBroken: 'Hash chain broken at',
    auditChecking: 'Checking…', auditAdminOnly: 'Only admins may read the audit log',
  },
};
export const lang = () => (localStorage.getItem('lang') === 'en' ? 'en' : 'zh-CN');
export const t = (key) => text[lang()][key] ?? key;
/** The language button offers the other language, in that language. */
export const switchLabel = () => (lang() === 'en' ? '中文' : 'English');

function apply() {
  document.documentElement.lang = lang();
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  const button = document.getElementById('lang');
  if (button) button.textContent = switchLabel();
}

function toggle() {
  localStorage.setItem('lang', lang() === 'en' ? 'zh-CN' : 'en');
  apply();
  document.dispatchEvent(new Event('langchange'));
}

// Module scripts run before DOMContentLoaded, so the #lang button is there by then, in the page or drawn by the shell.
document.addEventListener('DOMContentLoaded', () => {
  apply();
  document.getElementById('lang')?.addEventListener('click', toggle);
});
